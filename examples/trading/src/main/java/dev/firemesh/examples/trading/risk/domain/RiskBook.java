package dev.firemesh.examples.trading.risk.domain;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The limits of every account and what each has used within the rolling window. A check that passes
 * reserves the order's notional at once, so two concurrent orders cannot both squeeze under the
 * same headroom; checks are serialized on the book (one owner of the usage state).
 */
public final class RiskBook {
  private record Use(Instant at, BigDecimal notionalEur) {}

  private final LimitSource limits;
  private final Map<String, Deque<Use>> used = new HashMap<>();
  private final ReferenceRates rates;
  private final InstantSource clock;
  private final Duration window;

  /** A book with fixed limits. */
  public RiskBook(List<Limit> limits, ReferenceRates rates, InstantSource clock, Duration window) {
    this(LimitSource.of(limits), rates, clock, window);
  }

  /**
   * @param limits the limits in force, asked at every check (they follow reference data and
   *     configuration as they change)
   */
  public RiskBook(LimitSource limits, ReferenceRates rates, InstantSource clock, Duration window) {
    this.limits = limits;
    this.rates = rates;
    this.clock = clock;
    this.window = window;
  }

  public synchronized RiskDecision check(LimitCheck order) {
    Limit limit = limits.of(order.account()).orElse(null);
    if (limit == null) {
      return new RiskDecision.Breached("no limits are set for account " + order.account());
    }
    Optional<BigDecimal> converted = rates.toEur(order.notional(), order.currency());
    if (converted.isEmpty()) {
      return new RiskDecision.Breached(
          "no reference rate for " + order.currency() + ", so the order cannot be measured");
    }
    BigDecimal notional = converted.get();
    if (notional.compareTo(limit.maxOrderNotional()) > 0) {
      return new RiskDecision.Breached(
          "order notional "
              + eur(notional)
              + " exceeds the per-order limit of "
              + eur(limit.maxOrderNotional())
              + " for "
              + order.account());
    }
    Deque<Use> uses = used.computeIfAbsent(order.account(), a -> new ArrayDeque<>());
    Instant now = clock.instant();
    while (!uses.isEmpty() && !uses.peekFirst().at().isAfter(now.minus(window))) {
      uses.removeFirst();
    }
    BigDecimal inWindow =
        uses.stream().map(Use::notionalEur).reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal after = inWindow.add(notional);
    if (after.compareTo(limit.maxWindowNotional()) > 0) {
      return new RiskDecision.Breached(
          "gross notional over the last "
              + window.toSeconds()
              + " s would be "
              + eur(after)
              + ", above the limit of "
              + eur(limit.maxWindowNotional())
              + " for "
              + order.account());
    }
    uses.addLast(new Use(now, notional));
    return new RiskDecision.Approved(notional, limit.maxWindowNotional().subtract(after));
  }

  public List<Limit> limits() {
    return limits.all();
  }

  /** What {@code account} has used within the window, in euros. */
  public synchronized BigDecimal usedEur(String account) {
    Instant cutoff = clock.instant().minus(window);
    return used.getOrDefault(account, new ArrayDeque<>()).stream()
        .filter(u -> u.at().isAfter(cutoff))
        .map(Use::notionalEur)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  private static String eur(BigDecimal amount) {
    DecimalFormat format =
        new DecimalFormat("#,##0.00", DecimalFormatSymbols.getInstance(Locale.UK));
    return "EUR " + format.format(amount);
  }
}
