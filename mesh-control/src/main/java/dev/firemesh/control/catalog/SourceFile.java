package dev.firemesh.control.catalog;

/** A YAML file as the user wrote it: its name (for error messages) and its text. */
public record SourceFile(String name, String content) {}
