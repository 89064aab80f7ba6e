package dev.firemesh.chassis.refdata.standard;

/**
 * A market identifier code (ISO 10383): four upper-case letters or digits naming a trading venue or
 * one of its segments, such as {@code XLON} (London Stock Exchange) or {@code XETR} (Xetra, a
 * segment of the operating MIC {@code XFRA}). The shape is checked here; whether a MIC is
 * registered is a question for the venue reference data, since ISO adds MICs every month.
 *
 * @param code the four characters
 */
public record Mic(String code) {
  public Mic {
    if (code == null) {
      throw new InvalidCodeException("MIC", null, "missing");
    }
    if (code.length() != 4) {
      throw new InvalidCodeException("MIC", code, code.length() + " characters, expected 4");
    }
    for (int i = 0; i < 4; i++) {
      char c = code.charAt(i);
      if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9')) {
        throw new InvalidCodeException(
            "MIC",
            code,
            InvalidCodeException.characterAt(code, i)
                + ", expected an upper-case letter or a digit");
      }
    }
  }

  /**
   * The MIC {@code text} is.
   *
   * @throws InvalidCodeException saying what is wrong: its length or a character
   */
  public static Mic parse(String text) {
    return new Mic(text);
  }

  @Override
  public String toString() {
    return code;
  }
}
