package dev.firemesh.bench;

import java.util.Locale;

/** What the load generator speaks on each connection. */
public enum Protocol {
  /** HTTP/1.1 with keep-alive: one request at a time per connection unless pipelined. */
  HTTP1("http1"),
  /** HTTP/2 over cleartext with prior knowledge (h2c): requests multiplexed as streams. */
  H2("h2");

  private final String label;

  Protocol(String label) {
    this.label = label;
  }

  /** The name on the command line and in reports: {@code http1} or {@code h2}. */
  public String label() {
    return label;
  }

  /** Parses {@code http1} or {@code h2} (also {@code http/1.1}, {@code h2c}, any case). */
  public static Protocol parse(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "http1", "http/1.1", "http1.1", "h1" -> HTTP1;
      case "h2", "h2c", "http2", "http/2" -> H2;
      default ->
          throw new IllegalArgumentException("protocol must be http1 or h2, was '" + value + "'");
    };
  }
}
