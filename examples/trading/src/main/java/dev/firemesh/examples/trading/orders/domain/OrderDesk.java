package dev.firemesh.examples.trading.orders.domain;

import dev.firemesh.chassis.refdata.standard.InvalidCodeException;
import dev.firemesh.chassis.refdata.standard.Isin;
import java.math.BigDecimal;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Accepts or rejects orders. The cheap checks come first, so a malformed order never costs a call
 * to another service; risk comes last, because an approval reserves limit.
 */
public final class OrderDesk {
  /** Accepted orders kept for lookup by id; the oldest are forgotten beyond this. */
  private static final int KEPT_ORDERS = 10_000;

  private final String idPrefix;
  private final Supplier<OrderPolicy> policy;
  private final InstrumentDirectory directory;
  private final RiskGate risk;
  private final InstantSource clock;
  private final AtomicLong sequence = new AtomicLong();
  private final LongAdder accepted = new LongAdder();
  private final Map<RejectReason, LongAdder> rejected = new EnumMap<>(RejectReason.class);
  private final Map<String, Order> orders =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Order> eldest) {
          return size() > KEPT_ORDERS;
        }
      };

  /**
   * @param idPrefix starts every order id, so ids from different instances never collide
   */
  public OrderDesk(
      String idPrefix,
      OrderPolicy policy,
      InstrumentDirectory directory,
      RiskGate risk,
      InstantSource clock) {
    this(idPrefix, () -> policy, directory, risk, clock);
  }

  /**
   * @param policy the rules in force, read once per order (a live configuration's current value)
   */
  public OrderDesk(
      String idPrefix,
      Supplier<OrderPolicy> policy,
      InstrumentDirectory directory,
      RiskGate risk,
      InstantSource clock) {
    this.idPrefix = idPrefix;
    this.policy = policy;
    this.directory = directory;
    this.risk = risk;
    this.clock = clock;
    for (RejectReason reason : RejectReason.values()) {
      rejected.put(reason, new LongAdder());
    }
  }

  public OrderOutcome place(OrderRequest request) {
    OrderOutcome outcome = decide(request);
    switch (outcome) {
      case OrderOutcome.Accepted a -> {
        accepted.increment();
        synchronized (orders) {
          orders.put(a.order().orderId(), a.order());
        }
      }
      case OrderOutcome.Rejected r -> rejected.get(r.reason()).increment();
    }
    return outcome;
  }

  private OrderOutcome decide(OrderRequest request) {
    OrderPolicy policy = this.policy.get();
    if (policy.killSwitch()) {
      return reject(
          RejectReason.TRADING_HALTED,
          "trading is halted: the desk's kill switch is on"
              + (policy.deskContact().isBlank() ? "" : "; contact " + policy.deskContact()));
    }
    Side side;
    try {
      side = Side.valueOf(request.side().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return reject(
          RejectReason.INVALID_ORDER, "side must be BUY or SELL, got \"" + request.side() + "\"");
    }
    if (request.quantity() <= 0) {
      return reject(
          RejectReason.INVALID_ORDER, "quantity must be positive, got " + request.quantity());
    }
    if (request.quantity() > policy.maxOrderQuantity()) {
      return reject(
          RejectReason.QUANTITY_ABOVE_MAXIMUM,
          "quantity "
              + request.quantity()
              + " is above the desk's maximum of "
              + policy.maxOrderQuantity());
    }
    BigDecimal price = request.limitPrice();
    if (price.signum() <= 0) {
      return reject(RejectReason.INVALID_ORDER, "limit price must be positive, got " + price);
    }
    Isin isin;
    try {
      isin = Isin.parse(request.isin());
    } catch (InvalidCodeException e) {
      return reject(RejectReason.INVALID_ORDER, e.getMessage());
    }
    if (request.account().isBlank()) {
      return reject(RejectReason.INVALID_ORDER, "account is missing");
    }

    ListedInstrument instrument;
    switch (directory.instrument(isin)) {
      case Lookup.Found<ListedInstrument> f -> instrument = f.value();
      case Lookup.Missing<ListedInstrument> m -> {
        return reject(RejectReason.UNKNOWN_INSTRUMENT, "no instrument with ISIN " + isin);
      }
      case Lookup.Unavailable<ListedInstrument> u -> {
        return reject(
            RejectReason.DEPENDENCY_UNAVAILABLE, "reference data unavailable: " + u.why());
      }
    }
    if (!policy.allowedVenues().contains(instrument.venue())) {
      return reject(
          RejectReason.VENUE_NOT_ALLOWED,
          isin + " is listed on " + instrument.venue() + ", where this desk does not trade");
    }
    if (price.remainder(instrument.tickSize()).signum() != 0) {
      return reject(
          RejectReason.PRICE_NOT_ON_TICK,
          "limit price "
              + price.toPlainString()
              + " is not a multiple of "
              + instrument.name()
              + "'s tick size "
              + instrument.tickSize().toPlainString()
              + " on "
              + instrument.venue());
    }

    switch (directory.account(request.account())) {
      case Lookup.Found<TradingAccount> f -> {
        if (!f.value().open()) {
          return reject(RejectReason.ACCOUNT_CLOSED, "account " + request.account() + " is closed");
        }
      }
      case Lookup.Missing<TradingAccount> m -> {
        return reject(RejectReason.UNKNOWN_ACCOUNT, "no account " + request.account());
      }
      case Lookup.Unavailable<TradingAccount> u -> {
        return reject(
            RejectReason.DEPENDENCY_UNAVAILABLE, "reference data unavailable: " + u.why());
      }
    }

    if (!policy.preTradeRiskCheck()) {
      return accept(request, isin, side, price, instrument);
    }
    switch (risk.check(request.account(), isin, request.quantity(), price, instrument.currency())) {
      case RiskGate.Answer.Approved a -> {}
      case RiskGate.Answer.Breached b -> {
        return reject(RejectReason.LIMIT_BREACHED, b.reason());
      }
      case RiskGate.Answer.Unavailable u -> {
        return reject(RejectReason.DEPENDENCY_UNAVAILABLE, "risk unavailable: " + u.why());
      }
    }
    return accept(request, isin, side, price, instrument);
  }

  private OrderOutcome accept(
      OrderRequest request, Isin isin, Side side, BigDecimal price, ListedInstrument instrument) {
    return new OrderOutcome.Accepted(
        new Order(
            "%s-%06d".formatted(idPrefix, sequence.incrementAndGet()),
            request.clientOrderId(),
            request.account(),
            isin,
            side,
            request.quantity(),
            price,
            instrument.currency(),
            instrument.venue(),
            clock.instant()));
  }

  private static OrderOutcome reject(RejectReason reason, String detail) {
    return new OrderOutcome.Rejected(reason, detail);
  }

  public Optional<Order> order(String orderId) {
    synchronized (orders) {
      return Optional.ofNullable(orders.get(orderId));
    }
  }

  public OrderStats stats() {
    Map<RejectReason, Long> counts = new EnumMap<>(RejectReason.class);
    rejected.forEach(
        (reason, count) -> {
          if (count.sum() > 0) {
            counts.put(reason, count.sum());
          }
        });
    return new OrderStats(accepted.sum(), counts);
  }
}
