package dev.firemesh.examples.trading.risk.domain;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Currency;
import java.util.Objects;

/**
 * What risk records about exposure, in its own event store: the changes order events make to an
 * account's exposure (streams {@code exposure-<account>}), and the ends of days (streams {@code
 * day-<yyyy-mm-dd>}, one event each). The {@code exposure} read model is their projection.
 */
public sealed interface ExposureEvent {

  /**
   * An order event's {@link ExposureChange} to one account in one currency.
   *
   * @param openNotional added to the open notional (negative when released)
   * @param filledToday added to the notional filled today
   * @param usedToday added to the notional accepted today
   * @param orderId the order the event was about
   * @param sourceEventType the order event's type name
   */
  record ExposureChanged(
      String account,
      Currency currency,
      BigDecimal openNotional,
      BigDecimal filledToday,
      BigDecimal usedToday,
      String orderId,
      String sourceEventType)
      implements ExposureEvent {
    public ExposureChanged {
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(currency, "currency");
      Objects.requireNonNull(openNotional, "openNotional");
      Objects.requireNonNull(filledToday, "filledToday");
      Objects.requireNonNull(usedToday, "usedToday");
      Objects.requireNonNull(orderId, "orderId");
      Objects.requireNonNull(sourceEventType, "sourceEventType");
    }

    /** The change, as {@link Exposure#apply} takes it. */
    public ExposureChange change() {
      return new ExposureChange(account, currency, openNotional, filledToday, usedToday);
    }
  }

  /**
   * The trading day {@code date} ended: every account's daily figures start again from zero ({@link
   * DailyLimits#reset}).
   */
  record DailyLimitsReset(LocalDate date) implements ExposureEvent {
    public DailyLimitsReset {
      Objects.requireNonNull(date, "date");
    }

    /** The stream of the end of {@code date}: one per day, so a day ends once. */
    public static String streamId(LocalDate date) {
      return DAY_CATEGORY + "-" + date;
    }
  }

  /** The category of the end-of-day streams. */
  String DAY_CATEGORY = "day";
}
