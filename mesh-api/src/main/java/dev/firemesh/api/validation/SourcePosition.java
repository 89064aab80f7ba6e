package dev.firemesh.api.validation;

import java.util.Comparator;
import java.util.Objects;

/**
 * Where something was written: a file (or other source name) and a 1-based line and column. Line
 * and column 0 mean the place is not known, e.g. for a resource that came from the store.
 */
public record SourcePosition(String file, int line, int column)
    implements Comparable<SourcePosition> {

  /** No file, no place: for problems that concern a batch rather than a document. */
  public static final SourcePosition NONE = new SourcePosition("", 0, 0);

  private static final Comparator<SourcePosition> ORDER =
      Comparator.comparing(SourcePosition::file)
          .thenComparingInt(SourcePosition::line)
          .thenComparingInt(SourcePosition::column);

  public SourcePosition {
    Objects.requireNonNull(file, "file");
    if (line < 0 || column < 0) {
      throw new IllegalArgumentException("line and column must not be negative");
    }
  }

  /** A whole source, no line known. */
  public static SourcePosition of(String file) {
    return new SourcePosition(file, 0, 0);
  }

  public boolean hasLine() {
    return line > 0;
  }

  @Override
  public int compareTo(SourcePosition other) {
    return ORDER.compare(this, other);
  }

  /** {@code file:line:column}, or as much of it as is known. */
  @Override
  public String toString() {
    if (!hasLine()) {
      return file;
    }
    return (file.isEmpty() ? "" : file + ":") + line + ":" + column;
  }
}
