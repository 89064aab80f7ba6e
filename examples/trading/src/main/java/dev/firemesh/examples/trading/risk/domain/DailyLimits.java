package dev.firemesh.examples.trading.risk.domain;

import java.math.BigDecimal;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Objects;

/**
 * When risk's day ends and what ending it resets. At the end of the day the daily figures of every
 * {@link Exposure} start again from zero: {@code filledToday} and {@code usedToday} (the day's
 * usage). Open notional is not reset: orders still open tomorrow still hold it, and their fills and
 * cancels will release it.
 *
 * <p>The reset sets values rather than adding to them, so applying it twice is the same as once.
 * The {@code end-of-day} task records it as a {@code DailyLimitsReset} event, once per date (see
 * {@code risk.exposure.EndOfDay}), and the exposure projection applies it to its read model in the
 * order of the changes around it, so a rebuild resets at the same point:
 *
 * <pre>{@code
 * update risk_exposure set filled_today = 0, used_today = 0
 * }</pre>
 *
 * @param endOfDay the local time the day ends, on business days
 * @param zone the time zone of {@code endOfDay}
 */
public record DailyLimits(LocalTime endOfDay, ZoneId zone) {
  /** The demo's: 17:00 in London, when the London market's day is done. */
  public static final DailyLimits LONDON_CLOSE =
      new DailyLimits(LocalTime.of(17, 0), ZoneId.of("Europe/London"));

  public DailyLimits {
    Objects.requireNonNull(endOfDay, "endOfDay");
    Objects.requireNonNull(zone, "zone");
    if (endOfDay.getSecond() != 0 || endOfDay.getNano() != 0) {
      throw new IllegalArgumentException(
          "the end of day is a whole minute (a cron firing), got " + endOfDay);
    }
  }

  /** The five-field cron expression of the end of day, every day, in {@link #zone()}. */
  public String cron() {
    return endOfDay.getMinute() + " " + endOfDay.getHour() + " * * *";
  }

  /** {@code exposure} as the next day starts: daily figures at zero, open notional as it was. */
  public static Exposure reset(Exposure exposure) {
    return new Exposure(
        exposure.account(),
        exposure.currency(),
        exposure.openNotional(),
        BigDecimal.ZERO,
        BigDecimal.ZERO);
  }
}
