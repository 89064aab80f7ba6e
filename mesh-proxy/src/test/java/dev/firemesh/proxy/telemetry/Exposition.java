package dev.firemesh.proxy.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus text exposition read back as a scraper would: samples by name and labels, each
 * family's type, checked for the format's rules on the way (one TYPE per family, before its
 * samples).
 */
public final class Exposition {
  private static final Pattern SAMPLE =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (-?[0-9.eE+-]+|NaN|[+-]Inf)");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  public final Map<String, String> types = new LinkedHashMap<>();
  private final Map<String, Double> samples = new HashMap<>();

  public Exposition(String text) {
    for (String line : text.lines().toList()) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        assertThat(types.put(parts[2], parts[3])).as("one TYPE per family: " + line).isNull();
      } else if (!line.startsWith("#") && !line.isBlank()) {
        Matcher m = SAMPLE.matcher(line);
        assertThat(m.matches()).as("a sample line: " + line).isTrue();
        String family = m.group(1).replaceFirst("_(sum|count|bucket)$", "");
        assertThat(types).as("TYPE before " + line).containsKey(family);
        samples.put(key(m.group(1), labels(m.group(2))), Double.valueOf(m.group(3)));
      }
    }
  }

  private static Map<String, String> labels(String text) {
    Map<String, String> labels = new TreeMap<>();
    if (text != null) {
      Matcher m = LABEL.matcher(text);
      while (m.find()) {
        labels.put(m.group(1), m.group(2));
      }
    }
    return labels;
  }

  private static String key(String name, Map<String, String> labels) {
    return name + new TreeMap<>(labels);
  }

  /** The sample's value; null if there is none. */
  public Double value(String name, Map<String, String> labels) {
    return samples.get(key(name, labels));
  }

  /** Labels from pairs: {@code "direction", "outbound", ...}. */
  public static Map<String, String> labels(String... pairs) {
    Map<String, String> labels = new TreeMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      labels.put(pairs[i], pairs[i + 1]);
    }
    return labels;
  }

  /** {@code labels} plus {@code pairs}. */
  public static Map<String, String> with(Map<String, String> labels, String... pairs) {
    Map<String, String> more = new TreeMap<>(labels);
    more.putAll(labels(pairs));
    return more;
  }

  public long count(String name) {
    return samples.keySet().stream().filter(k -> k.startsWith(name + "{")).count();
  }
}
