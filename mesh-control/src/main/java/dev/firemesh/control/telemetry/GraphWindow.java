package dev.firemesh.control.telemetry;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/** The sliding windows the service graph is computed over. */
public enum GraphWindow {
  TEN_SECONDS("10s", Duration.ofSeconds(10)),
  ONE_MINUTE("1m", Duration.ofMinutes(1)),
  FIVE_MINUTES("5m", Duration.ofMinutes(5));

  private final String text;
  private final Duration length;

  GraphWindow(String text, Duration length) {
    this.text = text;
    this.length = length;
  }

  /** As written in the API: {@code 10s}, {@code 1m}, {@code 5m}. */
  public String text() {
    return text;
  }

  public Duration length() {
    return length;
  }

  public static Optional<GraphWindow> parse(String text) {
    return Arrays.stream(values()).filter(w -> w.text.equals(text)).findFirst();
  }
}
