package dev.firemesh.api.codec;

import dev.firemesh.api.validation.SourcePosition;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** Reports values that must be unique among siblings (port names, subset names, rule names). */
final class Unique {

  private final String what;
  private final Map<Object, SourcePosition> seen = new HashMap<>();

  /**
   * @param what how a value reads in the message, e.g. {@code port name}
   */
  Unique(String what) {
    this.what = what;
  }

  /** Reports {@code field} if {@code value} was seen before; true if it is new. */
  boolean check(ReadContext context, String field, Object value, String shown) {
    SourcePosition first = seen.putIfAbsent(value, context.positionOf(field));
    if (first != null) {
      context.problemAt(
          field, "duplicate " + what + " " + shown + " (first at line " + first.line() + ")");
      return false;
    }
    return true;
  }

  /** Wraps a reader so each value read is checked; for list elements. */
  <T> ValueReader<T> of(ValueReader<T> reader) {
    return of(reader, String::valueOf);
  }

  /** As {@link #of(ValueReader)}, showing values as {@code shown} gives them. */
  <T> ValueReader<T> of(ValueReader<T> reader, Function<T, String> shown) {
    return (context, node, field) ->
        reader
            .read(context, node, field)
            .filter(v -> check(context, field, v, Values.quote(shown.apply(v))));
  }
}
