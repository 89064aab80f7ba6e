package dev.firemesh.examples.trading.iso;

import java.util.regex.Pattern;

/**
 * A market identifier code (ISO 10383): four letters or digits naming a trading venue, such as
 * {@code XLON} (London Stock Exchange) or {@code XETR} (Xetra).
 *
 * @param code the four characters
 */
public record Mic(String code) {
  private static final Pattern SHAPE = Pattern.compile("[A-Z0-9]{4}");

  public Mic {
    if (code == null || !SHAPE.matcher(code).matches()) {
      throw new IllegalArgumentException(
          "not a MIC: \"" + code + "\" (expected 4 upper-case letters or digits)");
    }
  }

  @Override
  public String toString() {
    return code;
  }
}
