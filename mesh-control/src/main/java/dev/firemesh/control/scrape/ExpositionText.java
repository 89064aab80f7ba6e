package dev.firemesh.control.scrape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads the Prometheus text exposition format (0.0.4) as sidecars serve it on {@code
 * /stats/prometheus}. The text comes from processes the control plane does not control, so the
 * reader never throws on content: a line it cannot read is skipped and counted, and sizes are
 * bounded ({@value #MAX_LINE_CHARS} characters a line, {@value #MAX_LABELS} labels a sample).
 *
 * <p>Comments ({@code # HELP}, {@code # TYPE}) are skipped; timestamps after the value are accepted
 * and ignored; values may be {@code NaN}, {@code +Inf} and {@code -Inf}.
 */
public final class ExpositionText {
  public static final int MAX_LINE_CHARS = 64 * 1024;
  public static final int MAX_LABELS = 32;

  /** One sample line: metric name, labels in the order written, value. */
  public record Sample(String name, Map<String, String> labels, double value) {
    public Sample {
      Objects.requireNonNull(name, "name");
      labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    public String label(String key) {
      return labels.getOrDefault(key, "");
    }
  }

  /** The samples read, and how many non-comment lines could not be read. */
  public record Parsed(List<Sample> samples, int malformed) {
    public Parsed {
      samples = List.copyOf(samples);
    }
  }

  private ExpositionText() {}

  /** Every sample whose name starts with {@code prefix} (others are not kept). */
  public static Parsed parse(String text, String prefix) {
    List<Sample> samples = new ArrayList<>();
    int malformed = 0;
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      String line = text.substring(start, end);
      start = end + 1;
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      if (!line.startsWith(prefix)) {
        continue; // not read at all: no cost for families nobody asked for
      }
      Sample sample = line.length() > MAX_LINE_CHARS ? null : new LineReader(line).sample();
      if (sample == null) {
        malformed++;
      } else {
        samples.add(sample);
      }
    }
    return new Parsed(samples, malformed);
  }

  /** A cursor over one line; {@link #sample()} is null when the line is not a sample. */
  private static final class LineReader {
    private final String line;
    private int at;

    LineReader(String line) {
      this.line = line;
    }

    Sample sample() {
      String name = name(true);
      if (name.isEmpty()) {
        return null;
      }
      Map<String, String> labels = new LinkedHashMap<>();
      boolean separated = skipBlanks();
      if (peek() == '{') {
        if (!labels(labels)) {
          return null;
        }
        separated = skipBlanks();
      }
      if (!separated) {
        return null; // the value must be separated from the name or labels
      }
      int valueStart = at;
      while (at < line.length() && line.charAt(at) != ' ' && line.charAt(at) != '\t') {
        at++;
      }
      String valueText = line.substring(valueStart, at);
      skipBlanks();
      if (at < line.length() && !timestamp()) {
        return null;
      }
      Double value = value(valueText);
      return value == null ? null : new Sample(name, labels, value);
    }

    private boolean labels(Map<String, String> labels) {
      at++; // '{'
      while (true) {
        skipBlanks();
        if (peek() == '}') {
          at++;
          return true;
        }
        String key = name(false);
        skipBlanks();
        if (key.isEmpty() || peek() != '=') {
          return false;
        }
        at++;
        skipBlanks();
        if (peek() != '"') {
          return false;
        }
        at++;
        StringBuilder value = new StringBuilder();
        while (true) {
          if (at >= line.length()) {
            return false;
          }
          char c = line.charAt(at++);
          if (c == '"') {
            break;
          }
          if (c == '\\') {
            if (at >= line.length()) {
              return false;
            }
            char escaped = line.charAt(at++);
            switch (escaped) {
              case 'n' -> value.append('\n');
              case '\\' -> value.append('\\');
              case '"' -> value.append('"');
              default -> {
                return false;
              }
            }
          } else {
            value.append(c);
          }
        }
        if (labels.containsKey(key) || labels.size() == MAX_LABELS) {
          return false;
        }
        labels.put(key, value.toString());
        skipBlanks();
        if (peek() == ',') {
          at++;
        } else if (peek() != '}') {
          return false;
        }
      }
    }

    /** A metric name ({@code [a-zA-Z_:][a-zA-Z0-9_:]*}) or, without colons, a label name. */
    private String name(boolean colons) {
      int begin = at;
      while (at < line.length()) {
        char c = line.charAt(at);
        boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        boolean allowed = letter || (colons && c == ':') || (at > begin && c >= '0' && c <= '9');
        if (!allowed) {
          break;
        }
        at++;
      }
      return line.substring(begin, at);
    }

    private boolean timestamp() {
      int begin = at;
      if (peek() == '-') {
        at++;
      }
      int digits = at;
      while (at < line.length() && Character.isDigit(line.charAt(at))) {
        at++;
      }
      if (at == digits || at - begin > 20) {
        return false;
      }
      skipBlanks();
      return at == line.length();
    }

    /** True if at least one blank was skipped. */
    private boolean skipBlanks() {
      int begin = at;
      while (at < line.length() && (line.charAt(at) == ' ' || line.charAt(at) == '\t')) {
        at++;
      }
      return at > begin;
    }

    private char peek() {
      return at < line.length() ? line.charAt(at) : '\0';
    }

    private static Double value(String text) {
      switch (text) {
        case "NaN" -> {
          return Double.NaN;
        }
        case "+Inf", "Inf" -> {
          return Double.POSITIVE_INFINITY;
        }
        case "-Inf" -> {
          return Double.NEGATIVE_INFINITY;
        }
        default -> {}
      }
      if (text.isEmpty() || text.length() > 64) {
        return null;
      }
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        // Digits, sign, point and exponent only: Double.parseDouble would also take "Infinity",
        // hex floats and a trailing "d" or "f", which are not in the format.
        if (!(Character.isDigit(c) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) {
          return null;
        }
      }
      try {
        return Double.parseDouble(text);
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }
}
