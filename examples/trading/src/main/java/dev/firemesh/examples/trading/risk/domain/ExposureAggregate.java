package dev.firemesh.examples.trading.risk.domain;

import dev.firemesh.chassis.cqrs.Aggregate;
import dev.firemesh.chassis.cqrs.Decision;
import dev.firemesh.examples.trading.risk.domain.ExposureEvent.DailyLimitsReset;
import dev.firemesh.examples.trading.risk.domain.ExposureEvent.ExposureChanged;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.HashMap;
import java.util.Map;

/**
 * One account's exposure, event-sourced in streams {@code exposure-<account>}: each order event
 * forwarded by orders ({@link TrackOrderEvent}) becomes the {@link ExposureChanged} that {@link
 * Exposure#change} gives, or nothing when it changes nothing (a rejected order). The state is the
 * account's open notional per currency, which no end of day resets; the daily figures live in the
 * read model, where the ends of days ({@link DailyLimitsReset}, streams of their own) meet them.
 *
 * <p>Rejection code: {@value #WRONG_ACCOUNT}, an event for another account than the first one this
 * stream tracked.
 */
public final class ExposureAggregate
    implements Aggregate<ExposureAggregate.OpenNotional, TrackOrderEvent, ExposureEvent> {
  public static final String CATEGORY = "exposure";
  public static final String WRONG_ACCOUNT = "WRONG_ACCOUNT";

  /**
   * What an account holds open.
   *
   * @param account empty until its first change
   * @param byCurrency the open notional per currency, at limit prices
   */
  public record OpenNotional(String account, Map<Currency, BigDecimal> byCurrency) {
    public static final OpenNotional NONE = new OpenNotional("", Map.of());

    public OpenNotional {
      byCurrency = Map.copyOf(byCurrency);
    }

    /** The open notional in {@code currency}; 0 if none. */
    public BigDecimal in(Currency currency) {
      return byCurrency.getOrDefault(currency, BigDecimal.ZERO);
    }
  }

  @Override
  public String category() {
    return CATEGORY;
  }

  @Override
  public OpenNotional initial() {
    return OpenNotional.NONE;
  }

  @Override
  public Decision<ExposureEvent> decide(OpenNotional state, TrackOrderEvent command) {
    ExposureChange change = Exposure.change(command.event());
    if (!state.account().isEmpty() && !state.account().equals(change.account())) {
      return Decision.reject(
          WRONG_ACCOUNT,
          "the exposure of "
              + state.account()
              + " cannot track "
              + command.sourceEventType()
              + " of order "
              + command.event().orderId()
              + " for account "
              + change.account());
    }
    if (change.none()) {
      return Decision.accept();
    }
    return Decision.accept(
        new ExposureChanged(
            change.account(),
            change.currency(),
            change.openNotional(),
            change.filledToday(),
            change.usedToday(),
            command.event().orderId(),
            command.sourceEventType()));
  }

  @Override
  public OpenNotional evolve(OpenNotional state, ExposureEvent event) {
    return switch (event) {
      case ExposureChanged e -> {
        Map<Currency, BigDecimal> open = new HashMap<>(state.byCurrency());
        open.merge(e.currency(), e.openNotional(), BigDecimal::add);
        yield new OpenNotional(e.account(), open);
      }
      // Not in an account's stream; the daily figures are not part of this state.
      case DailyLimitsReset e -> state;
    };
  }
}
