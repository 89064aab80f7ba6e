/**
 * How commands print: aligned tables, YAML and JSON ({@link dev.firemesh.cli.output.Printer}), and
 * unified diffs of resource documents ({@link dev.firemesh.cli.output.UnifiedDiff}).
 */
package dev.firemesh.cli.output;
