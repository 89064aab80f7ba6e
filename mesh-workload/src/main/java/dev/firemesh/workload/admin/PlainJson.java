package dev.firemesh.workload.admin;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON for the few small documents a sidecar reads and writes (control.json, the registration, the
 * ready file, an error answer), without Jackson: Jackson is ~450 classes, a few MiB of a process
 * that must stay small, for documents of a dozen members.
 *
 * <p>{@link #parse} reads any JSON text into {@code Map} (members in order), {@code List}, {@code
 * String}, {@code Long} (integers that fit), {@code BigDecimal} (other numbers), {@code Boolean}
 * and {@code null}. {@link #compact} and {@link #pretty} write maps of those (and of {@code
 * Integer} and {@code Number}); {@link #pretty} lays out as Jackson's default pretty printer does,
 * so files look as they did when Jackson wrote them.
 */
public final class PlainJson {
  private static final String HEX = "0123456789ABCDEF";

  private final String text;
  private int at;

  private PlainJson(String text) {
    this.text = text;
  }

  /**
   * @throws IllegalArgumentException if {@code text} is not one JSON value
   */
  public static Object parse(String text) {
    PlainJson reader = new PlainJson(text);
    Object value = reader.value();
    reader.space();
    if (reader.at != text.length()) {
      throw reader.problem("end of input");
    }
    return value;
  }

  /** The member {@code name} of an object, if {@code json} is an object that has it. */
  public static Object member(Object json, String name) {
    return json instanceof Map<?, ?> map ? map.get(name) : null;
  }

  public static String compact(Map<String, ?> object) {
    StringBuilder out = new StringBuilder(128);
    write(out, object, -1);
    return out.toString();
  }

  /** Jackson's {@code toPrettyString()} layout: two-space indents, {@code "name" : value}. */
  public static String pretty(Map<String, ?> object) {
    StringBuilder out = new StringBuilder(256);
    write(out, object, 0);
    return out.toString();
  }

  private static void write(StringBuilder out, Object value, int depth) {
    switch (value) {
      case null -> out.append("null");
      case String s -> string(out, s);
      case Boolean b -> out.append(b);
      case BigDecimal d -> out.append(d.toString());
      case Number n -> out.append(n);
      case Map<?, ?> map -> object(out, map, depth);
      case List<?> list -> array(out, list, depth);
      default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass());
    }
  }

  private static void object(StringBuilder out, Map<?, ?> map, int depth) {
    if (map.isEmpty()) {
      out.append(depth < 0 ? "{}" : "{ }");
      return;
    }
    boolean pretty = depth >= 0;
    out.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> member : map.entrySet()) {
      out.append(first ? "" : ",");
      first = false;
      if (pretty) {
        newline(out, depth + 1);
      }
      string(out, String.valueOf(member.getKey()));
      out.append(pretty ? " : " : ":");
      write(out, member.getValue(), pretty ? depth + 1 : depth);
    }
    if (pretty) {
      newline(out, depth);
    }
    out.append('}');
  }

  private static void array(StringBuilder out, List<?> list, int depth) {
    if (list.isEmpty()) {
      out.append(depth < 0 ? "[]" : "[ ]");
      return;
    }
    out.append(depth < 0 ? "[" : "[ ");
    boolean first = true;
    for (Object element : list) {
      out.append(first ? "" : depth < 0 ? "," : ", ");
      first = false;
      write(out, element, depth);
    }
    out.append(depth < 0 ? "]" : " ]");
  }

  private static void newline(StringBuilder out, int depth) {
    out.append('\n').append("  ".repeat(depth));
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xF));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private Object value() {
    space();
    if (at >= text.length()) {
      throw problem("a value");
    }
    char c = text.charAt(at);
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> word("true", Boolean.TRUE);
      case 'f' -> word("false", Boolean.FALSE);
      case 'n' -> word("null", null);
      default -> number();
    };
  }

  private Map<String, Object> object() {
    Map<String, Object> members = new LinkedHashMap<>();
    at++; // {
    space();
    if (peek('}')) {
      at++;
      return members;
    }
    while (true) {
      space();
      if (!peek('"')) {
        throw problem("a member name");
      }
      String name = string();
      space();
      expect(':');
      members.put(name, value());
      space();
      if (peek(',')) {
        at++;
      } else {
        expect('}');
        return members;
      }
    }
  }

  private List<Object> array() {
    List<Object> elements = new ArrayList<>();
    at++; // [
    space();
    if (peek(']')) {
      at++;
      return elements;
    }
    while (true) {
      elements.add(value());
      space();
      if (peek(',')) {
        at++;
      } else {
        expect(']');
        return elements;
      }
    }
  }

  private String string() {
    at++; // "
    StringBuilder out = new StringBuilder();
    while (true) {
      if (at >= text.length()) {
        throw problem("a closing quote");
      }
      char c = text.charAt(at++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw problem("no control character in a string");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (at >= text.length()) {
        throw problem("an escape");
      }
      char escape = text.charAt(at++);
      switch (escape) {
        case '"', '\\', '/' -> out.append(escape);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (at + 4 > text.length()) {
            throw problem("four hex digits");
          }
          try {
            out.append((char) Integer.parseInt(text, at, at + 4, 16));
          } catch (NumberFormatException e) {
            throw problem("four hex digits");
          }
          at += 4;
        }
        default -> throw problem("an escape");
      }
    }
  }

  private Object number() {
    int start = at;
    while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
    String digits = text.substring(start, at);
    if (digits.isEmpty() || digits.startsWith("+") || digits.endsWith(".")) {
      at = start;
      throw problem("a value");
    }
    try {
      BigDecimal number = new BigDecimal(digits);
      if (digits.indexOf('.') < 0 && digits.indexOf('e') < 0 && digits.indexOf('E') < 0) {
        try {
          return number.longValueExact();
        } catch (ArithmeticException e) {
          return number;
        }
      }
      return number;
    } catch (NumberFormatException e) {
      at = start;
      throw problem("a number");
    }
  }

  private Object word(String word, Object value) {
    if (!text.startsWith(word, at)) {
      throw problem("a value");
    }
    at += word.length();
    return value;
  }

  private void space() {
    while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
  }

  private boolean peek(char c) {
    return at < text.length() && text.charAt(at) == c;
  }

  private void expect(char c) {
    if (!peek(c)) {
      throw problem("'" + c + "'");
    }
    at++;
  }

  private IllegalArgumentException problem(String expected) {
    return new IllegalArgumentException(
        "malformed JSON at offset " + at + ": expected " + expected);
  }
}
