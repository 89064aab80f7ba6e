package dev.firemesh.api.validation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * One thing wrong with the input: where it is, which field (a path such as {@code
 * spec.rules[1].destinations[0].weight}, empty when the problem is not about one field) and what
 * was expected.
 */
public record Problem(SourcePosition position, String field, String message) {

  public Problem {
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }

  /**
   * The line a person reads: {@code file:line:column: field: message}, leaving out the parts that
   * are unknown.
   */
  @Override
  public String toString() {
    StringJoiner line = new StringJoiner(": ");
    String where = position.toString();
    if (!where.isEmpty()) {
      line.add(where);
    }
    if (!field.isEmpty()) {
      line.add(field);
    }
    return line.add(message).toString();
  }

  /**
   * The structured form for machines (the admin API's JSON): {@code file}, {@code line}, {@code
   * column} (0 when unknown), {@code field} and {@code message}, in that order.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("file", position.file());
    map.put("line", position.line());
    map.put("column", position.column());
    map.put("field", field);
    map.put("message", message);
    return Collections.unmodifiableMap(map);
  }
}
