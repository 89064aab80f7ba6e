package dev.firemesh.api.codec;

import dev.firemesh.api.validation.Problems;
import dev.firemesh.api.validation.SourcePosition;
import java.util.HashMap;
import java.util.Map;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * The state of reading one file: its name, the problems found so far, the field positions of the
 * document being read, and the budget that bounds how much aliases may expand a document.
 */
final class ReadContext {

  /** Nodes visited per file, counting each use of an alias again. */
  static final int MAX_NODES = 100_000;

  /** Characters of scalars visited per file, counting each use of an alias again. */
  static final long MAX_SCALAR_CHARS = 4_000_000;

  private final String file;
  private final Problems problems;
  private Map<String, SourcePosition> positions = new HashMap<>();
  private int nodes;
  private long scalarChars;

  ReadContext(String file, Problems problems) {
    this.file = file;
    this.problems = problems;
  }

  String file() {
    return file;
  }

  SourcePosition position(Node node) {
    return node.getStartMark().map(this::position).orElse(SourcePosition.of(file));
  }

  SourcePosition position(Mark mark) {
    return new SourcePosition(file, mark.getLine() + 1, mark.getColumn() + 1);
  }

  void problem(Node at, String field, String message) {
    problem(position(at), field, message);
  }

  void problem(SourcePosition at, String field, String message) {
    problems.add(at, field, message);
    if (problems.isFull()) {
      throw new Stop();
    }
  }

  /** Reports a problem at a field already read in the current document. */
  void problemAt(String field, String message) {
    problem(positionOf(field), field, message);
  }

  /** Where a field of the current document was read, or its nearest parent. */
  SourcePosition positionOf(String field) {
    String path = field;
    while (!path.isEmpty()) {
      SourcePosition at = positions.get(path);
      if (at != null) {
        return at;
      }
      int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
      path = cut <= 0 ? "" : path.substring(0, cut);
    }
    return SourcePosition.of(file);
  }

  void record(String field, Node node) {
    positions.putIfAbsent(field, position(node));
  }

  /** The positions of the document just read; starts afresh for the next one. */
  Map<String, SourcePosition> takePositions() {
    Map<String, SourcePosition> taken = positions;
    positions = new HashMap<>();
    return taken;
  }

  /** Counts a node against the file's budget; aliases make a small file expand without bound. */
  void visit(Node node, String field) {
    nodes++;
    if (node instanceof ScalarNode scalar) {
      scalarChars += scalar.getValue().length();
    }
    if (nodes > MAX_NODES || scalarChars > MAX_SCALAR_CHARS) {
      problems.add(
          position(node),
          field,
          "the file expands to more than "
              + MAX_NODES
              + " values or "
              + MAX_SCALAR_CHARS
              + " characters (through aliases?)");
      throw new Stop();
    }
  }

  /** Ends reading a file early: the problem limit or the expansion budget was reached. */
  static final class Stop extends RuntimeException {
    Stop() {
      super("stop reading", null, false, false);
    }
  }
}
