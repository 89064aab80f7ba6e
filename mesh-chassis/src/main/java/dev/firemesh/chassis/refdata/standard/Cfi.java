package dev.firemesh.chassis.refdata.standard;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;

/**
 * A Classification of Financial Instruments code (ISO 10962:2021): six letters, the first naming
 * the category, the second the group within it, the last four attributes ({@code X} where not
 * applicable). {@code ESVUFR} reads: equities, common shares, voting, free, fully paid, registered.
 * Category and group are checked against the standard's tables; the attributes' meaning depends on
 * the group and is only checked to be letters.
 *
 * @param code the six letters
 */
public record Cfi(String code) {
  private record Category(String name, SequencedMap<Character, String> groups) {}

  /** The categories of ISO 10962:2021 and the groups of each. */
  private static final SequencedMap<Character, Category> CATEGORIES = new LinkedHashMap<>();

  static {
    category(
        'E',
        "equities",
        """
        S common/ordinary shares
        P preferred/preference shares
        C common/ordinary convertible shares
        F preferred/preference convertible shares
        L limited partnership units
        D depository receipts on equities
        Y structured instruments (participation)
        M others (miscellaneous)
        """);
    category(
        'C',
        "collective investment vehicles",
        """
        I standard (vanilla) investment funds/mutual funds
        H hedge funds
        B real estate investment trusts (REITs)
        E exchange-traded funds (ETFs)
        S pension funds
        F funds of funds
        P private equity funds
        M others (miscellaneous)
        """);
    category(
        'D',
        "debt instruments",
        """
        B bonds
        C convertible bonds
        W bonds with warrants attached
        T medium-term notes
        Y money market instruments
        S structured products (with capital protection)
        E structured products (without capital protection)
        G mortgage-backed securities
        A asset-backed securities
        N municipal bonds
        D depository receipts on debt instruments
        M others (miscellaneous)
        """);
    category(
        'R',
        "entitlements (rights)",
        """
        A allotment (bonus) rights
        S subscription rights
        P purchase rights
        W warrants
        F mini-future certificates, constant leverage certificates
        D depository receipts on entitlements
        M others (miscellaneous)
        """);
    category(
        'O',
        "listed options",
        """
        C call options
        P put options
        M others
        """);
    category(
        'F',
        "futures",
        """
        F financial futures
        C commodities futures
        """);
    category(
        'S',
        "swaps",
        """
        R rates
        T commodities
        E equity
        C credit
        F foreign exchange
        M others (miscellaneous)
        """);
    category(
        'H',
        "non-listed and complex listed options",
        """
        R rates
        T commodities
        E equity
        C credit
        F foreign exchange
        M others (miscellaneous)
        """);
    category(
        'I',
        "spot",
        """
        F foreign exchange
        T commodities
        """);
    category(
        'J',
        "forwards",
        """
        E equity
        F foreign exchange
        C credit
        R rates
        T commodities
        """);
    category(
        'K',
        "strategies",
        """
        R rates
        T commodities
        E equity
        C credit
        F foreign exchange
        Y mixed assets
        M others (miscellaneous)
        """);
    category(
        'L',
        "financing",
        """
        L loan-lease
        R repurchase agreements
        S securities lending
        """);
    category(
        'T',
        "referential instruments",
        """
        C currencies
        T commodities
        R interest rates
        I indices
        B baskets
        D stock dividends
        M others (miscellaneous)
        """);
    category(
        'M',
        "others (miscellaneous)",
        """
        C combined instruments
        M other assets (miscellaneous assets)
        """);
  }

  private static void category(char letter, String name, String groups) {
    SequencedMap<Character, String> byLetter = new LinkedHashMap<>();
    groups.lines().forEach(line -> byLetter.put(line.charAt(0), line.substring(2)));
    CATEGORIES.put(letter, new Category(name, byLetter));
  }

  public Cfi {
    if (code == null) {
      throw new InvalidCodeException("CFI", null, "missing");
    }
    if (code.length() != 6) {
      throw new InvalidCodeException("CFI", code, code.length() + " characters, expected 6");
    }
    for (int i = 0; i < 6; i++) {
      char c = code.charAt(i);
      if (c < 'A' || c > 'Z') {
        throw new InvalidCodeException(
            "CFI",
            code,
            InvalidCodeException.characterAt(code, i) + ", expected an upper-case letter");
      }
    }
    Category category = CATEGORIES.get(code.charAt(0));
    if (category == null) {
      throw new InvalidCodeException(
          "CFI", code, "category " + code.charAt(0) + " is not one of " + letters(CATEGORIES));
    }
    if (!category.groups().containsKey(code.charAt(1))) {
      throw new InvalidCodeException(
          "CFI",
          code,
          "group "
              + code.charAt(1)
              + " is not a group of category "
              + code.charAt(0)
              + " ("
              + category.name()
              + "), expected one of "
              + letters(category.groups()));
    }
  }

  /**
   * The CFI code {@code text} is.
   *
   * @throws InvalidCodeException saying what is wrong: its shape, its category or its group
   */
  public static Cfi parse(String text) {
    return new Cfi(text);
  }

  /** The category, in words: {@code equities} for {@code ESVUFR}. */
  public String category() {
    return CATEGORIES.get(code.charAt(0)).name();
  }

  /** The group, in words: {@code common/ordinary shares} for {@code ESVUFR}. */
  public String group() {
    return CATEGORIES.get(code.charAt(0)).groups().get(code.charAt(1));
  }

  @Override
  public String toString() {
    return code;
  }

  private static String letters(Map<Character, ?> table) {
    StringBuilder out = new StringBuilder();
    for (char c : table.keySet()) {
      out.append(out.isEmpty() ? "" : ", ").append(c);
    }
    return out.toString();
  }
}
