package dev.firemesh.chassis.refdata.standard;

import java.util.Optional;
import java.util.Set;

/**
 * An International Securities Identification Number (ISO 6166): a two-letter prefix (the ISO 3166
 * country of the issuing agency, or one of the international prefixes), a nine-character national
 * number and a check digit, computed with the Luhn algorithm over the digits obtained by replacing
 * each letter with its value (A=10 ... Z=35).
 *
 * <p>The check digit catches every change of one digit into another and every change of the check
 * digit, but not every change of one character: a letter changed into another letter, or a digit
 * into a letter, can leave the Luhn sum unchanged and so make another valid ISIN (see {@code
 * IsinTest} for the exact rule). No validator can refuse those without refusing real ISINs.
 *
 * @param value the twelve characters, upper case
 */
public record Isin(String value) {
  /**
   * Prefixes that are not ISO 3166 countries: XS (international securities, Euroclear and
   * Clearstream), XA to XD (substitute numbering agencies), EU (European Union issues) and AN, the
   * withdrawn Netherlands Antilles code still carried by live ISINs such as Schlumberger's.
   */
  private static final Set<String> OTHER_PREFIXES =
      Set.of("XS", "XA", "XB", "XC", "XD", "EU", "AN");

  public Isin {
    Optional<String> problem = problem(value);
    if (problem.isPresent()) {
      throw new InvalidCodeException("ISIN", value, problem.get());
    }
  }

  /**
   * The ISIN {@code text} is.
   *
   * @throws InvalidCodeException saying what is wrong: its length, a character, the prefix or the
   *     check digit (with the one expected)
   */
  public static Isin parse(String text) {
    return new Isin(text);
  }

  /**
   * What is wrong with {@code text} as an ISIN, in words a caller can act on ({@code check digit is
   * 7, expected 6}); empty if it is one. For callers that treat a bad ISIN as an expected outcome
   * (an order refused) rather than an exception.
   */
  public static Optional<String> problem(String text) {
    if (text == null) {
      return Optional.of("missing");
    }
    if (text.length() != 12) {
      return Optional.of(text.length() + " characters, expected 12");
    }
    for (int i = 0; i < 12; i++) {
      char c = text.charAt(i);
      if (i < 2 && !isLetter(c)) {
        return Optional.of(
            InvalidCodeException.characterAt(text, i)
                + ", expected an upper-case letter (the prefix)");
      }
      if (i >= 2 && i < 11 && !isLetter(c) && !isDigit(c)) {
        return Optional.of(
            InvalidCodeException.characterAt(text, i)
                + ", expected an upper-case letter or a digit");
      }
      if (i == 11 && !isDigit(c)) {
        return Optional.of(
            InvalidCodeException.characterAt(text, i) + ", expected a digit (the check digit)");
      }
    }
    String prefix = text.substring(0, 2);
    if (!CountryCode.isAssigned(prefix) && !OTHER_PREFIXES.contains(prefix)) {
      return Optional.of(
          "prefix "
              + prefix
              + " is not an ISO 3166 country code nor one of "
              + String.join(", ", OTHER_PREFIXES.stream().sorted().toList()));
    }
    char expected = luhnDigit(text, 11);
    if (text.charAt(11) != expected) {
      return Optional.of("check digit is " + text.charAt(11) + ", expected " + expected);
    }
    return Optional.empty();
  }

  /**
   * The check digit for the first eleven characters of an ISIN.
   *
   * @throws InvalidCodeException if {@code payload} is not 2 letters then 9 letters or digits
   */
  public static char checkDigit(String payload) {
    if (payload == null
        || payload.length() != 11
        || !payload.chars().limit(2).allMatch(c -> isLetter((char) c))
        || !payload.chars().skip(2).allMatch(c -> isLetter((char) c) || isDigit((char) c))) {
      throw new InvalidCodeException(
          "ISIN payload", payload, "expected 2 upper-case letters then 9 letters or digits");
    }
    return luhnDigit(payload, 11);
  }

  /**
   * The ISIN made of {@code payload} (prefix and national number) and its check digit.
   *
   * @throws InvalidCodeException if the payload is malformed or its prefix unknown
   */
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

  /** The Luhn check digit of the first {@code length} characters, letters expanded to 10..35. */
  private static char luhnDigit(String text, int length) {
    // Walk the expanded digits from the right without building them: the rightmost one is doubled
    // because the check digit, appended after it, takes the undoubled position.
    int sum = 0;
    boolean doubled = true;
    for (int i = length - 1; i >= 0; i--) {
      int v = Character.digit(text.charAt(i), 36);
      if (v >= 10) {
        sum += luhnTerm(v % 10, doubled);
        doubled = !doubled;
        sum += luhnTerm(v / 10, doubled);
      } else {
        sum += luhnTerm(v, doubled);
      }
      doubled = !doubled;
    }
    return (char) ('0' + (10 - sum % 10) % 10);
  }

  private static int luhnTerm(int digit, boolean doubled) {
    if (!doubled) {
      return digit;
    }
    int d = digit * 2;
    return d > 9 ? d - 9 : d;
  }

  private static boolean isLetter(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
