package dev.firemesh.chassis.refdata.domain;

import dev.firemesh.chassis.refdata.InvalidReferenceDataException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Set;

/**
 * A venue's regular session, in the venue's own time zone: continuous trading from {@code open}
 * (inclusive) to {@code close} (exclusive) on each of {@code days}. Auctions and lunch breaks are
 * not modelled; a session that crosses midnight is refused rather than guessed at.
 *
 * @param days the trading days, never empty
 */
public record TradingHours(LocalTime open, LocalTime close, Set<DayOfWeek> days) {
  public TradingHours {
    Fields.present(open, "open");
    Fields.present(close, "close");
    Fields.present(days, "days");
    if (!open.isBefore(close)) {
      throw new InvalidReferenceDataException(
          "close", "must be after open (" + open + "), got " + close);
    }
    if (days.isEmpty()) {
      throw new InvalidReferenceDataException("days", "must name at least one day");
    }
    days = Set.copyOf(EnumSet.copyOf(days));
  }

  /** Monday to Friday, the week of most equity venues. */
  public static TradingHours weekdays(LocalTime open, LocalTime close) {
    return new TradingHours(open, close, EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
  }

  /** Whether {@code local}, a time in the venue's zone, falls within the session. */
  public boolean isOpen(ZonedDateTime local) {
    LocalTime time = local.toLocalTime();
    return days.contains(local.getDayOfWeek()) && !time.isBefore(open) && time.isBefore(close);
  }
}
