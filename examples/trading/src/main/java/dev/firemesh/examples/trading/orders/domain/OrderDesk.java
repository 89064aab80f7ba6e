package dev.firemesh.examples.trading.orders.domain;

import dev.firemesh.chassis.refdata.standard.InvalidCodeException;
import dev.firemesh.chassis.refdata.standard.Isin;
import dev.firemesh.examples.trading.orders.domain.OrderCommand.PlaceOrder;
import java.math.BigDecimal;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Checks order requests and turns them into {@link PlaceOrder} commands with the verdict in them;
 * the order itself lives in its event stream ({@link OrderAggregate}), not here. The cheap checks
 * come first, so a malformed order never costs a call to another service; risk comes last, because
 * an approval reserves limit.
 */
public final class OrderDesk {
  private final String idPrefix;
  private final String runStamp;
  private final Supplier<OrderPolicy> policy;
  private final InstrumentDirectory directory;
  private final RiskGate risk;
  private final AtomicLong sequence = new AtomicLong();
  private final LongAdder accepted = new LongAdder();
  private final Map<RejectReason, LongAdder> rejected = new EnumMap<>(RejectReason.class);

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
   * @param clock read once, for the run stamp in order ids: an order id names an event stream
   *     forever, and a restarted instance keeps its name but starts its sequence again
   */
  public OrderDesk(
      String idPrefix,
      Supplier<OrderPolicy> policy,
      InstrumentDirectory directory,
      RiskGate risk,
      InstantSource clock) {
    this.idPrefix = idPrefix;
    this.runStamp = Long.toString(clock.millis(), Character.MAX_RADIX);
    this.policy = policy;
    this.directory = directory;
    this.risk = risk;
    for (RejectReason reason : RejectReason.values()) {
      rejected.put(reason, new LongAdder());
    }
  }

  /**
   * Checks {@code request}: refused, or the command that books it.
   *
   * @param placedBy who placed it, recorded with the order
   */
  public OrderIntake place(OrderRequest request, String placedBy) {
    OrderIntake intake = decide(request, placedBy);
    switch (intake) {
      case OrderIntake.Refused r -> rejected.get(r.reason()).increment();
      case OrderIntake.Decided d -> {
        switch (d.command().verdict()) {
          case DeskVerdict.Accepted a -> accepted.increment();
          case DeskVerdict.Rejected r -> rejected.get(r.reason()).increment();
        }
      }
    }
    return intake;
  }

  private OrderIntake decide(OrderRequest request, String placedBy) {
    OrderPolicy policy = this.policy.get();
    if (policy.killSwitch()) {
      return refuse(
          RejectReason.TRADING_HALTED,
          "trading is halted: the desk's kill switch is on"
              + (policy.deskContact().isBlank() ? "" : "; contact " + policy.deskContact()));
    }
    Side side;
    try {
      side = Side.valueOf(request.side().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return refuse(
          RejectReason.INVALID_ORDER, "side must be BUY or SELL, got \"" + request.side() + "\"");
    }
    if (request.quantity() <= 0) {
      return refuse(
          RejectReason.INVALID_ORDER, "quantity must be positive, got " + request.quantity());
    }
    if (request.quantity() > policy.maxOrderQuantity()) {
      return refuse(
          RejectReason.QUANTITY_ABOVE_MAXIMUM,
          "quantity "
              + request.quantity()
              + " is above the desk's maximum of "
              + policy.maxOrderQuantity());
    }
    BigDecimal price = request.limitPrice();
    if (price.signum() <= 0) {
      return refuse(RejectReason.INVALID_ORDER, "limit price must be positive, got " + price);
    }
    Isin isin;
    try {
      isin = Isin.parse(request.isin());
    } catch (InvalidCodeException e) {
      return refuse(RejectReason.INVALID_ORDER, e.getMessage());
    }
    if (request.account().isBlank()) {
      return refuse(RejectReason.INVALID_ORDER, "account is missing");
    }

    ListedInstrument instrument;
    switch (directory.instrument(isin)) {
      case Lookup.Found<ListedInstrument> f -> instrument = f.value();
      case Lookup.Missing<ListedInstrument> m -> {
        return refuse(RejectReason.UNKNOWN_INSTRUMENT, "no instrument with ISIN " + isin);
      }
      case Lookup.Unavailable<ListedInstrument> u -> {
        return refuse(
            RejectReason.DEPENDENCY_UNAVAILABLE, "reference data unavailable: " + u.why());
      }
    }
    Booking booking = new Booking(request, isin, side, price, instrument, placedBy);
    if (!policy.allowedVenues().contains(instrument.venue())) {
      return booking.rejected(
          RejectReason.VENUE_NOT_ALLOWED,
          isin + " is listed on " + instrument.venue() + ", where this desk does not trade");
    }
    if (price.remainder(instrument.tickSize()).signum() != 0) {
      return booking.rejected(
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
          return booking.rejected(
              RejectReason.ACCOUNT_CLOSED, "account " + request.account() + " is closed");
        }
      }
      case Lookup.Missing<TradingAccount> m -> {
        return booking.rejected(RejectReason.UNKNOWN_ACCOUNT, "no account " + request.account());
      }
      case Lookup.Unavailable<TradingAccount> u -> {
        // Transient: refused, not booked, so the client may send the same order again.
        return refuse(
            RejectReason.DEPENDENCY_UNAVAILABLE, "reference data unavailable: " + u.why());
      }
    }

    if (!policy.preTradeRiskCheck()) {
      return booking.accepted();
    }
    switch (risk.check(request.account(), isin, request.quantity(), price, instrument.currency())) {
      case RiskGate.Answer.Approved a -> {}
      case RiskGate.Answer.Breached b -> {
        return booking.rejected(RejectReason.LIMIT_BREACHED, b.reason());
      }
      case RiskGate.Answer.Unavailable u -> {
        // Transient: refused, not booked, so the client may send the same order again.
        return refuse(RejectReason.DEPENDENCY_UNAVAILABLE, "risk unavailable: " + u.why());
      }
    }
    return booking.accepted();
  }

  private static OrderIntake refuse(RejectReason reason, String detail) {
    return new OrderIntake.Refused(reason, detail);
  }

  /** A well-formed order for a known instrument, to be booked with its verdict under a new id. */
  private final class Booking {
    private final OrderRequest request;
    private final Isin isin;
    private final Side side;
    private final BigDecimal price;
    private final ListedInstrument instrument;
    private final String placedBy;

    Booking(
        OrderRequest request,
        Isin isin,
        Side side,
        BigDecimal price,
        ListedInstrument instrument,
        String placedBy) {
      this.request = request;
      this.isin = isin;
      this.side = side;
      this.price = price;
      this.instrument = instrument;
      this.placedBy = placedBy;
    }

    OrderIntake accepted() {
      return book(new DeskVerdict.Accepted());
    }

    OrderIntake rejected(RejectReason reason, String detail) {
      return book(new DeskVerdict.Rejected(reason, detail));
    }

    private OrderIntake book(DeskVerdict verdict) {
      return new OrderIntake.Decided(
          new PlaceOrder(
              "%s-%s-%06d".formatted(idPrefix, runStamp, sequence.incrementAndGet()),
              request.clientOrderId(),
              request.account(),
              isin.value(),
              side,
              request.quantity(),
              price,
              instrument.currency(),
              instrument.venue(),
              placedBy,
              verdict));
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
