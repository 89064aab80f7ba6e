package dev.firemesh.cli.output;

/** {@code -o}: how a command prints what it got. */
public enum OutputFormat {
  table,
  yaml,
  json
}
