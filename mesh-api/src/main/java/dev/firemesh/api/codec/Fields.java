package dev.firemesh.api.codec;

import dev.firemesh.api.validation.SourcePosition;
import dev.firemesh.api.validation.Spelling;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A cursor on one mapping of a document: reads its fields by name and, when done, reports the
 * fields nobody asked for as unknown (with a suggestion when one is close). An explicit {@code
 * null} or empty value counts as absent, as in Kubernetes.
 */
final class Fields {

  private static final Pattern SIMPLE_KEY = Pattern.compile("[A-Za-z0-9_-]+");

  private final ReadContext context;
  private final MappingNode node;
  private final String path;
  private final Map<String, NodeTuple> entries;
  private final Set<String> known = new LinkedHashSet<>();

  private Fields(
      ReadContext context, MappingNode node, String path, Map<String, NodeTuple> entries) {
    this.context = context;
    this.node = node;
    this.path = path;
    this.entries = entries;
  }

  /** The fields of {@code node}, or empty (with a problem reported) if it is not a mapping. */
  static Optional<Fields> of(ReadContext context, Node node, String path) {
    context.visit(node, path);
    if (!(node instanceof MappingNode mapping)) {
      context.problem(node, path, "expected a mapping, got " + Values.describe(node));
      return Optional.empty();
    }
    Map<String, NodeTuple> entries = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Optional<String> key = keyOf(tuple.getKeyNode());
      if (key.isEmpty()) {
        context.problem(
            tuple.getKeyNode(),
            path,
            "expected a field name, got " + Values.describe(tuple.getKeyNode()));
        continue;
      }
      NodeTuple first = entries.putIfAbsent(key.get(), tuple);
      if (first != null) {
        context.problem(
            tuple.getKeyNode(),
            child(path, key.get()),
            "field set twice (first at line " + context.position(first.getKeyNode()).line() + ")");
      }
    }
    return Optional.of(new Fields(context, mapping, path, entries));
  }

  /** The text of a scalar key of any type but null ({@code 1:} is the key "1"). */
  static Optional<String> keyOf(Node key) {
    if (key instanceof ScalarNode scalar && !scalar.getTag().equals(Tag.NULL)) {
      return Optional.of(scalar.getValue());
    }
    return Optional.empty();
  }

  /** The path of field {@code key} below {@code parent}: {@code a.b}, or {@code a["x.y"]}. */
  static String child(String parent, String key) {
    if (SIMPLE_KEY.matcher(key).matches()) {
      return parent.isEmpty() ? key : parent + "." + key;
    }
    return parent + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
  }

  ReadContext context() {
    return context;
  }

  String path() {
    return path;
  }

  SourcePosition position() {
    return context.position(node);
  }

  String pathOf(String key) {
    return child(path, key);
  }

  /** Whether {@code key} is present with a value (not null); marks it as known. */
  boolean has(String key) {
    known.add(key);
    NodeTuple tuple = entries.get(key);
    return tuple != null && !isNull(tuple.getValueNode());
  }

  /**
   * As {@link #has}, and remembers where the value is, so that a problem about the field's presence
   * points at it.
   */
  boolean present(String key) {
    if (!has(key)) {
      return false;
    }
    context.record(pathOf(key), entries.get(key).getValueNode());
    return true;
  }

  /** Marks {@code key} as known without reading it, when an earlier problem makes it moot. */
  void skip(String key) {
    known.add(key);
  }

  <T> Optional<T> optional(String key, ValueReader<T> reader) {
    if (!has(key)) {
      return Optional.empty();
    }
    Node value = entries.get(key).getValueNode();
    String field = pathOf(key);
    context.record(field, value);
    return reader.read(context, value, field);
  }

  <T> T optional(String key, ValueReader<T> reader, T fallback) {
    return optional(key, reader).orElse(fallback);
  }

  /** The value of a field that must be present; empty (with a problem) if missing or wrong. */
  <T> Optional<T> required(String key, ValueReader<T> reader) {
    if (!has(key)) {
      context.problem(position(), pathOf(key), "missing required field");
      return Optional.empty();
    }
    return optional(key, reader);
  }

  <T> T required(String key, ValueReader<T> reader, T fallback) {
    return required(key, reader).orElse(fallback);
  }

  /** An optional list; absent means empty. */
  <T> List<T> list(String key, ValueReader<T> element) {
    return optional(key, Values.listOf(element), List.of());
  }

  /** A list that must be present and have at least one element. */
  <T> List<T> nonEmptyList(String key, ValueReader<T> element) {
    if (has(key)
        && entries.get(key).getValueNode() instanceof SequenceNode s
        && s.getValue().isEmpty()) {
      context.problem(s, pathOf(key), "expected at least one entry, got an empty list");
      return List.of();
    }
    return required(key, Values.listOf(element), List.of());
  }

  /** Whether {@code key} is present as an empty list or mapping ({@code []}, <code>{}</code>). */
  boolean isEmptyCollection(String key) {
    if (!has(key)) {
      return false;
    }
    Node value = entries.get(key).getValueNode();
    context.record(pathOf(key), value);
    return (value instanceof SequenceNode s && s.getValue().isEmpty())
        || (value instanceof MappingNode m && m.getValue().isEmpty());
  }

  /** Reports the fields present but never asked for. Call once, after reading. */
  void finish() {
    for (Map.Entry<String, NodeTuple> entry : entries.entrySet()) {
      if (!known.contains(entry.getKey())) {
        context.problem(
            entry.getValue().getKeyNode(),
            pathOf(entry.getKey()),
            "unknown field" + Spelling.hint(entry.getKey(), known));
      }
    }
  }

  static boolean isNull(Node node) {
    return node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL);
  }
}
