package dev.firemesh.chassis.refdata.standard;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A country, by its ISO 3166-1 alpha-2 code: one of the 249 officially assigned codes. Reserved and
 * user-assigned codes (UK, EU, XK, AA, ...) are refused: reference data names countries as ISO
 * does.
 *
 * @param code the two upper-case letters
 */
public record CountryCode(String code) {
  /**
   * The officially assigned codes of ISO 3166-1 (249). Embedded rather than taken from the JDK's
   * locale data so that every JVM, and every replica, agrees on the list.
   */
  private static final Set<String> ASSIGNED =
      Arrays.stream(
              """
      AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE
      BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD
      CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
      DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF
      GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU
      ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
      KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME
      MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA
      NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
      PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI
      SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK
      TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
      VN VU WF WS YE YT ZA ZM ZW
              """
                  .split("\\s+"))
          .filter(s -> !s.isEmpty())
          .collect(Collectors.toUnmodifiableSet());

  public CountryCode {
    if (code == null) {
      throw new InvalidCodeException("country", null, "missing");
    }
    if (!code.matches("[A-Z]{2}")) {
      throw new InvalidCodeException("country", code, "expected 2 upper-case letters (ISO 3166-1)");
    }
    if (!ASSIGNED.contains(code)) {
      throw new InvalidCodeException(
          "country",
          code,
          "not an assigned ISO 3166-1 alpha-2 code"
              + (code.equals("UK") ? " (the United Kingdom is GB)" : ""));
    }
  }

  /**
   * The country whose code {@code text} is.
   *
   * @throws InvalidCodeException if it is not two upper-case letters or not an assigned code
   */
  public static CountryCode parse(String text) {
    return new CountryCode(text);
  }

  /** Whether {@code code} is an officially assigned ISO 3166-1 alpha-2 code. */
  public static boolean isAssigned(String code) {
    return ASSIGNED.contains(code);
  }

  /** Every assigned code, in alphabetical order. */
  public static List<CountryCode> all() {
    return ASSIGNED.stream().sorted().map(CountryCode::new).toList();
  }

  @Override
  public String toString() {
    return code;
  }
}
