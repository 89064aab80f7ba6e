package dev.firemesh.api.config;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One spelling per value tree, so that equal configurations have equal text and equal digests: no
 * white space, object keys sorted (by UTF-16 code units, as {@link String#compareTo} orders them),
 * strings escaped minimally ({@code "} and {@code \} and control characters, the latter as {@code
 * \}{@code u00XX}; everything else as UTF-8), whole numbers ({@link Long}) as digits and decimals
 * ({@link BigDecimal}) in plain notation exactly as stored ({@code 5000000.00}), with {@code .0}
 * added to one that would otherwise read back as a whole number ({@code 5E+2} is written {@code
 * 500.0}).
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  /** The canonical text of a tree of strings, booleans, Longs, BigDecimals, lists and maps. */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  private static void write(Object value, StringBuilder out) {
    switch (value) {
      case String s -> string(s, out);
      case Boolean b -> out.append(b);
      case Long l -> out.append(l);
      case Integer i -> out.append(i);
      case BigDecimal d -> {
        String plain = d.toPlainString();
        out.append(plain);
        if (d.scale() <= 0) {
          out.append(".0");
        }
      }
      case List<?> list -> {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(list.get(i), out);
        }
        out.append(']');
      }
      case Map<?, ?> map -> {
        Map<String, Object> sorted = new TreeMap<>();
        map.forEach((k, v) -> sorted.put((String) k, v));
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : sorted.entrySet()) {
          if (!first) {
            out.append(',');
          }
          first = false;
          string(e.getKey(), out);
          out.append(':');
          write(e.getValue(), out);
        }
        out.append('}');
      }
      case null -> throw new IllegalArgumentException("null is not a config value");
      default ->
          throw new IllegalArgumentException("not a config value: " + value.getClass().getName());
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }
}
