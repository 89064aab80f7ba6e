package dev.firemesh.examples.trading.risk.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Currency;
import org.junit.jupiter.api.Test;

/** What the end of day resets, and when it comes. */
class DailyLimitsTest {
  private static final Currency GBP = Currency.getInstance("GBP");

  @Test
  void theEndOfDayResetsTheDaysFiguresAndKeepsWhatIsStillOpen() {
    Exposure exposure =
        new Exposure(
            "ACC-1",
            GBP,
            new BigDecimal("4512.00"),
            new BigDecimal("1200.50"),
            new BigDecimal("5712.50"));

    Exposure next = DailyLimits.reset(exposure);

    assertThat(next)
        .isEqualTo(
            new Exposure(
                "ACC-1", GBP, new BigDecimal("4512.00"), BigDecimal.ZERO, BigDecimal.ZERO));
    assertThat(DailyLimits.reset(next)).as("a second run changes nothing").isEqualTo(next);
  }

  @Test
  void theDemosDayEndsAtFiveInLondon() {
    assertThat(DailyLimits.LONDON_CLOSE.cron()).isEqualTo("0 17 * * *");
    assertThat(DailyLimits.LONDON_CLOSE.zone()).isEqualTo(ZoneId.of("Europe/London"));
    assertThat(new DailyLimits(LocalTime.of(16, 30), ZoneId.of("America/New_York")).cron())
        .isEqualTo("30 16 * * *");
    assertThatThrownBy(() -> new DailyLimits(LocalTime.of(17, 0, 30), ZoneId.of("Europe/London")))
        .hasMessageContaining("whole minute");
  }
}
