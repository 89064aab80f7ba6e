package dev.firemesh.examples.trading.iso;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An International Securities Identification Number (ISO 6166): a two-letter country or issuer
 * prefix, a nine-character national number and a check digit, computed with the Luhn algorithm over
 * the digits obtained by replacing each letter with its value (A=10 ... Z=35).
 *
 * @param value the twelve characters, upper case
 */
public record Isin(String value) {
  private static final Pattern SHAPE = Pattern.compile("[A-Z]{2}[A-Z0-9]{9}[0-9]");

  public Isin {
    problem(value)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException(p);
            });
  }

  /** The ISIN in {@code text}, or empty if it is not one (wrong shape or check digit). */
  public static Optional<Isin> parse(String text) {
    return problem(text).isEmpty() ? Optional.of(new Isin(text)) : Optional.empty();
  }

  /**
   * What is wrong with {@code text} as an ISIN, in words a caller can act on; empty if it is one.
   */
  public static Optional<String> problem(String text) {
    if (text == null || !SHAPE.matcher(text).matches()) {
      return Optional.of(
          "not an ISIN: \"" + text + "\" (expected 2 letters, 9 letters or digits, 1 check digit)");
    }
    char expected = checkDigit(text.substring(0, 11));
    if (text.charAt(11) != expected) {
      return Optional.of(
          "not an ISIN: \""
              + text
              + "\" has check digit "
              + text.charAt(11)
              + ", expected "
              + expected);
    }
    return Optional.empty();
  }

  /**
   * The check digit for the first eleven characters of an ISIN.
   *
   * @throws IllegalArgumentException if {@code payload} is not 2 letters and 9 letters or digits
   */
  public static char checkDigit(String payload) {
    if (payload.length() != 11 || !Pattern.matches("[A-Z]{2}[A-Z0-9]{9}", payload)) {
      throw new IllegalArgumentException(
          "an ISIN payload is 2 letters and 9 letters or digits, got \"" + payload + "\"");
    }
    StringBuilder digits = new StringBuilder(22);
    for (int i = 0; i < payload.length(); i++) {
      digits.append(Character.digit(payload.charAt(i), 36));
    }
    // Luhn: from the rightmost digit, double every second one starting with that rightmost one
    // (the check digit, appended later, would take the undoubled position).
    int sum = 0;
    boolean doubled = true;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (doubled) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubled = !doubled;
    }
    return (char) ('0' + (10 - sum % 10) % 10);
  }

  /** The ISIN made of {@code payload} and its check digit. */
  public static Isin of(String payload) {
    return new Isin(payload + checkDigit(payload));
  }

  /** The ISO 3166 country code (or XS, the international prefix) the ISIN was issued under. */
  public String prefix() {
    return value.substring(0, 2);
  }

  @Override
  public String toString() {
    return value;
  }
}
