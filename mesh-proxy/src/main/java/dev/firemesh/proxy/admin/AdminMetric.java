package dev.firemesh.proxy.admin;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One metric an {@link AdminExtension} adds. {@code /stats} shows it as {@code name value};
 * Prometheus as {@code firemesh_proxy_} + the name's dots as underscores, with {@code _total} on a
 * counter: {@code app.restarts} is {@code firemesh_proxy_app_restarts_total}.
 *
 * @param name lower-case, dot-separated ({@code app.restarts}); a counter's name carries no {@code
 *     _total}, the Prometheus page adds it
 * @param help one sentence for {@code # HELP}
 */
public record AdminMetric(String name, Kind kind, String help, long value) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*");

  /** Prometheus's metric types that a single number can be. */
  public enum Kind {
    /** Only goes up while the process lives. */
    COUNTER,
    /** Goes up and down. */
    GAUGE
  }

  public AdminMetric {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(help, "help");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a metric name is lower-case words separated by dots: " + name);
    }
    if (help.contains("\n")) {
      throw new IllegalArgumentException("a metric's help is one line: " + name);
    }
  }

  public static AdminMetric counter(String name, String help, long value) {
    return new AdminMetric(name, Kind.COUNTER, help, value);
  }

  public static AdminMetric gauge(String name, String help, long value) {
    return new AdminMetric(name, Kind.GAUGE, help, value);
  }
}
