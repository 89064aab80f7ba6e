package dev.firemesh.examples.trading.iso;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * A Classification of Financial Instruments code (ISO 10962): six letters, the first naming the
 * category, the second the group, the rest attributes ({@code X} where not applicable). {@code
 * ESVUFR} reads: equity, shares, voting, free, fully paid, registered.
 *
 * @param code the six letters
 */
public record Cfi(String code) {
  private static final Pattern SHAPE = Pattern.compile("[A-Z]{6}");

  /** The categories of ISO 10962:2021. */
  private static final Map<Character, String> CATEGORIES =
      Map.ofEntries(
          Map.entry('E', "equities"),
          Map.entry('C', "collective investment vehicles"),
          Map.entry('D', "debt instruments"),
          Map.entry('R', "entitlements (rights)"),
          Map.entry('O', "listed options"),
          Map.entry('F', "futures"),
          Map.entry('S', "swaps"),
          Map.entry('H', "non-listed and complex listed options"),
          Map.entry('I', "spot"),
          Map.entry('J', "forwards"),
          Map.entry('K', "strategies"),
          Map.entry('L', "financing"),
          Map.entry('T', "referential instruments"),
          Map.entry('M', "others (miscellaneous)"));

  public Cfi {
    if (code == null || !SHAPE.matcher(code).matches()) {
      throw new IllegalArgumentException(
          "not a CFI code: \"" + code + "\" (expected 6 upper-case letters)");
    }
    if (!CATEGORIES.containsKey(code.charAt(0))) {
      throw new IllegalArgumentException(
          "not a CFI code: \"" + code + "\" has no category " + code.charAt(0));
    }
  }

  /** The category, in words: {@code equities} for {@code ESVUFR}. */
  public String category() {
    return CATEGORIES.get(code.charAt(0));
  }

  @Override
  public String toString() {
    return code;
  }
}
