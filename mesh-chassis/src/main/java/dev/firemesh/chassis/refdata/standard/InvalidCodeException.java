package dev.firemesh.chassis.refdata.standard;

/**
 * Text that is not a valid code of its standard. The message names the standard, the text and what
 * was wrong with it, such as {@code ISIN GB0002634947: check digit is 7, expected 6}.
 */
public final class InvalidCodeException extends IllegalArgumentException {
  private final String standard;

  InvalidCodeException(String standard, String text, String problem) {
    super(standard + " " + shown(text) + ": " + problem);
    this.standard = standard;
  }

  /** The standard's short name: {@code ISIN}, {@code MIC}, {@code CFI}, {@code currency}, ... */
  public String standard() {
    return standard;
  }

  /** The text as given, quoted when it would otherwise be hard to read (empty, spaces, symbols). */
  static String shown(String text) {
    if (text == null) {
      return "(missing)";
    }
    return text.matches("[A-Za-z0-9]+") ? text : '"' + text + '"';
  }

  /** The character at {@code index}, in words: its 1-based position and itself. */
  static String characterAt(String text, int index) {
    return "character " + (index + 1) + " is '" + text.charAt(index) + "'";
  }
}
