package dev.firemesh.proxy.admin;

import dev.firemesh.proxy.telemetry.JsonString;
import dev.firemesh.traffic.authz.AuthorizationRules;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * JSON for the configuration model, by walking its records: components in declaration order, maps
 * with sorted keys, sets sorted, durations as protobuf-JSON strings ({@code "1.5s"}), patterns as
 * their source, and a {@code "type"} member naming the variant for records of a sealed interface.
 * Following the records means a field added to the model shows up without a change here.
 */
public final class ConfigJson {

  private ConfigJson() {}

  public static String encode(Object value) {
    StringBuilder out = new StringBuilder(1024);
    write(out, value, 0);
    out.append('\n');
    return out.toString();
  }

  /**
   * {@code value}'s members followed by {@code extra}'s, in one object: the configuration in force
   * with what the sidecar adds beside it ({@code tls}).
   */
  public static String encode(Record value, Map<String, ?> extra) {
    StringBuilder out = new StringBuilder(1024);
    record(out, value, 0, extra);
    out.append('\n');
    return out.toString();
  }

  private static void write(StringBuilder out, Object value, int depth) {
    switch (value) {
      case null -> out.append("null");
      case String s -> string(out, s);
      case Boolean b -> out.append(b);
      case Integer i -> out.append(i);
      case Long l -> out.append(l);
      case Double d -> out.append(Double.isFinite(d) ? d.toString() : "null");
      case Float f -> out.append(Float.isFinite(f) ? f.toString() : "null");
      case Duration d -> string(out, seconds(d));
      case Pattern p -> string(out, p.pattern());
      case Enum<?> e -> string(out, e.name());
      case Optional<?> o -> write(out, o.orElse(null), depth);
      case Map<?, ?> m -> map(out, m, depth);
      case Collection<?> c -> array(out, c, depth);
      case Record r -> record(out, r, depth, Map.of());
      case AuthorizationRules rules -> write(out, rules.policies(), depth);
      default -> string(out, value.toString());
    }
  }

  private static String seconds(Duration d) {
    BigDecimal seconds = BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9));
    return seconds.stripTrailingZeros().toPlainString() + "s";
  }

  private static void record(StringBuilder out, Record r, int depth, Map<String, ?> extra) {
    out.append('{');
    boolean first = true;
    Class<?> type = r.getClass();
    for (Class<?> parent : type.getInterfaces()) {
      if (parent.isSealed()) {
        newline(out, depth + 1);
        string(out, "type");
        out.append(": ");
        string(out, type.getSimpleName());
        first = false;
        break;
      }
    }
    for (RecordComponent component : type.getRecordComponents()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      newline(out, depth + 1);
      string(out, component.getName());
      out.append(": ");
      write(out, read(component, r), depth + 1);
    }
    for (Map.Entry<String, ?> member : extra.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      newline(out, depth + 1);
      string(out, member.getKey());
      out.append(": ");
      write(out, member.getValue(), depth + 1);
    }
    if (!first) {
      newline(out, depth);
    }
    out.append('}');
  }

  private static Object read(RecordComponent component, Record r) {
    try {
      return component.getAccessor().invoke(r);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(
          "cannot read " + r.getClass().getName() + "." + component.getName(), e);
    }
  }

  private static void map(StringBuilder out, Map<?, ?> m, int depth) {
    TreeMap<String, Object> sorted = new TreeMap<>();
    m.forEach((k, v) -> sorted.put(String.valueOf(k), v));
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, Object> entry : sorted.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      newline(out, depth + 1);
      string(out, entry.getKey());
      out.append(": ");
      write(out, entry.getValue(), depth + 1);
    }
    if (!first) {
      newline(out, depth);
    }
    out.append('}');
  }

  private static void array(StringBuilder out, Collection<?> c, int depth) {
    List<?> items = c instanceof List<?> list ? list : sortedCopy(c);
    out.append('[');
    boolean first = true;
    for (Object item : items) {
      if (!first) {
        out.append(',');
      }
      first = false;
      newline(out, depth + 1);
      write(out, item, depth + 1);
    }
    if (!first) {
      newline(out, depth);
    }
    out.append(']');
  }

  private static List<?> sortedCopy(Collection<?> c) {
    List<Object> copy = new ArrayList<>(c);
    copy.sort((a, b) -> String.valueOf(a).compareTo(String.valueOf(b)));
    return copy;
  }

  private static void newline(StringBuilder out, int depth) {
    out.append('\n');
    out.repeat(' ', depth * 2);
  }

  private static void string(StringBuilder out, String s) {
    JsonString.append(s, out);
  }
}
