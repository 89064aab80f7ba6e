package dev.firemesh.examples.trading.orders.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.chassis.refdata.standard.Isin;
import dev.firemesh.examples.trading.orders.domain.OrderCommand.PlaceOrder;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The desk's decisions, against in-memory reference data and risk that record what was asked. */
class OrderDeskTest {
  private static final Isin BP = new Isin("GB0007980591");
  private static final Isin IBM = new Isin("US4592001014");
  private static final String RUN_STAMP =
      Long.toString(Instant.parse("2026-11-26T09:00:00Z").toEpochMilli(), Character.MAX_RADIX);

  private final List<String> asked = new ArrayList<>();
  private RiskGate.Answer riskAnswer = new RiskGate.Answer.Approved();
  private boolean referenceDataDown;

  private final InstrumentDirectory directory =
      new InstrumentDirectory() {
        private final Map<Isin, ListedInstrument> instruments =
            Map.of(
                BP,
                new ListedInstrument(
                    BP, "BP p.l.c.", "XLON", Currency.getInstance("GBP"), new BigDecimal("0.001")),
                IBM,
                new ListedInstrument(
                    IBM, "IBM", "XNYS", Currency.getInstance("USD"), new BigDecimal("0.01")));

        @Override
        public Lookup<ListedInstrument> instrument(Isin isin) {
          asked.add("instrument " + isin);
          if (referenceDataDown) {
            return new Lookup.Unavailable<>("connection refused");
          }
          ListedInstrument found = instruments.get(isin);
          return found == null ? new Lookup.Missing<>() : new Lookup.Found<>(found);
        }

        @Override
        public Lookup<TradingAccount> account(String id) {
          asked.add("account " + id);
          return switch (id) {
            case "ACC-1" -> new Lookup.Found<>(new TradingAccount(id, true));
            case "ACC-9" -> new Lookup.Found<>(new TradingAccount(id, false));
            default -> new Lookup.Missing<>();
          };
        }
      };

  private final RiskGate risk =
      (account, isin, quantity, price, currency) -> {
        asked.add(
            "risk " + account + " " + quantity + "@" + price.toPlainString() + " " + currency);
        return riskAnswer;
      };

  private final OrderDesk desk =
      new OrderDesk(
          "orders-v1-1",
          new OrderPolicy(100_000, Set.of("XLON")),
          directory,
          risk,
          InstantSource.fixed(Instant.parse("2026-11-26T09:00:00Z")));

  private OrderIntake place(String account, String isin, String side, long quantity, String price) {
    return desk.place(
        new OrderRequest("c-1", account, isin, side, quantity, new BigDecimal(price)), "trader-7");
  }

  @Test
  void aValidOrderIsBookedAcceptedAfterReferenceDataAndRisk() {
    OrderIntake intake = place("ACC-1", "GB0007980591", "buy", 1000, "4.512");

    assertThat(intake)
        .isEqualTo(
            new OrderIntake.Decided(
                new PlaceOrder(
                    "orders-v1-1-" + RUN_STAMP + "-000001",
                    "c-1",
                    "ACC-1",
                    "GB0007980591",
                    Side.BUY,
                    1000,
                    new BigDecimal("4.512"),
                    Currency.getInstance("GBP"),
                    "XLON",
                    "trader-7",
                    new DeskVerdict.Accepted())));
    assertThat(asked)
        .containsExactly("instrument GB0007980591", "account ACC-1", "risk ACC-1 1000@4.512 GBP");
    assertThat(desk.stats().accepted()).isEqualTo(1);
  }

  @Test
  void orderIdsCarryTheDesksStartSoARestartedInstanceNeverReusesOne() {
    OrderDesk restarted =
        new OrderDesk(
            "orders-v1-1",
            new OrderPolicy(100_000, Set.of("XLON")),
            directory,
            risk,
            InstantSource.fixed(Instant.parse("2026-11-26T09:05:00Z")));
    OrderRequest request =
        new OrderRequest("c-1", "ACC-1", "GB0007980591", "BUY", 10, new BigDecimal("4.512"));

    String first = orderId(desk.place(request, "t"));
    String second = orderId(desk.place(request, "t"));
    String afterRestart = orderId(restarted.place(request, "t"));

    assertThat(List.of(first, second, afterRestart)).doesNotHaveDuplicates();
    assertThat(afterRestart).startsWith("orders-v1-1-").endsWith("-000001");
  }

  private static String orderId(OrderIntake intake) {
    return ((OrderIntake.Decided) intake).command().orderId();
  }

  @Test
  void malformedOrdersAreRejectedWithoutAskingAnyone() {
    assertRefused(
        place("ACC-1", "GB0007980591", "HOLD", 10, "4.5"),
        RejectReason.INVALID_ORDER,
        "side must be BUY or SELL, got \"HOLD\"");
    assertRefused(
        place("ACC-1", "GB0007980591", "BUY", 0, "4.5"),
        RejectReason.INVALID_ORDER,
        "quantity must be positive, got 0");
    assertRefused(
        place("ACC-1", "GB0007980591", "BUY", 10, "0"),
        RejectReason.INVALID_ORDER,
        "limit price must be positive, got 0");
    assertRefused(
        place("ACC-1", "GB0007980592", "BUY", 10, "4.5"),
        RejectReason.INVALID_ORDER,
        "ISIN GB0007980592: check digit is 2, expected 1");
    assertRefused(
        place("ACC-1", "GB0007980591", "BUY", 100_001, "4.5"),
        RejectReason.QUANTITY_ABOVE_MAXIMUM,
        "quantity 100001 is above the desk's maximum of 100000");
    assertThat(asked).isEmpty();
  }

  @Test
  void ordersAreCheckedAgainstReferenceData() {
    assertRefused(
        place("ACC-1", Isin.of("XS000000000").value(), "BUY", 10, "1"),
        RejectReason.UNKNOWN_INSTRUMENT,
        "no instrument with ISIN XS0000000009");
    OrderIntake elsewhere = place("ACC-1", "US4592001014", "BUY", 10, "221.37");
    assertRejected(
        elsewhere,
        RejectReason.VENUE_NOT_ALLOWED,
        "US4592001014 is listed on XNYS, where this desk does not trade");
    // A rejected order is booked with its terms, so its stream says what was refused and why.
    PlaceOrder booked = ((OrderIntake.Decided) elsewhere).command();
    assertThat(booked.venue()).isEqualTo("XNYS");
    assertThat(booked.currency()).isEqualTo(Currency.getInstance("USD"));
    assertThat(booked.limitPrice()).isEqualByComparingTo("221.37");
    assertRejected(
        place("ACC-1", "GB0007980591", "BUY", 10, "4.5125"),
        RejectReason.PRICE_NOT_ON_TICK,
        "limit price 4.5125 is not a multiple of BP p.l.c.'s tick size 0.001 on XLON");
    assertRejected(
        place("ACC-9", "GB0007980591", "BUY", 10, "4.5"),
        RejectReason.ACCOUNT_CLOSED,
        "account ACC-9 is closed");
    assertRejected(
        place("ACC-7", "GB0007980591", "BUY", 10, "4.5"),
        RejectReason.UNKNOWN_ACCOUNT,
        "no account ACC-7");
    assertThat(asked).noneMatch(a -> a.startsWith("risk"));
  }

  @Test
  void riskHasTheLastWord() {
    riskAnswer =
        new RiskGate.Answer.Breached("order notional EUR 2.00 exceeds the per-order limit");
    assertRejected(
        place("ACC-1", "GB0007980591", "SELL", 10, "4.5"),
        RejectReason.LIMIT_BREACHED,
        "order notional EUR 2.00 exceeds the per-order limit");
    riskAnswer = new RiskGate.Answer.Unavailable("risk answered 503");
    // Transient: refused rather than booked, so the same order may be sent again.
    assertRefused(
        place("ACC-1", "GB0007980591", "SELL", 10, "4.5"),
        RejectReason.DEPENDENCY_UNAVAILABLE,
        "risk unavailable: risk answered 503");
    assertThat(desk.stats())
        .isEqualTo(
            new OrderStats(
                0,
                Map.of(RejectReason.LIMIT_BREACHED, 1L, RejectReason.DEPENDENCY_UNAVAILABLE, 1L)));
  }

  @Test
  void anUnreachableDependencyIsNotAnUnknownInstrument() {
    referenceDataDown = true;
    assertRefused(
        place("ACC-1", "GB0007980591", "BUY", 10, "4.5"),
        RejectReason.DEPENDENCY_UNAVAILABLE,
        "reference data unavailable: connection refused");
    assertThat(desk.stats().rejected())
        .containsExactly(Map.entry(RejectReason.DEPENDENCY_UNAVAILABLE, 1L));
  }

  /** Refused outright: nothing to book. */
  private static void assertRefused(OrderIntake intake, RejectReason reason, String detail) {
    assertThat(intake).isEqualTo(new OrderIntake.Refused(reason, detail));
  }

  private static void assertAccepted(OrderIntake intake) {
    assertThat(intake).isInstanceOf(OrderIntake.Decided.class);
    assertThat(((OrderIntake.Decided) intake).command().verdict())
        .isEqualTo(new DeskVerdict.Accepted());
  }

  /** Booked, with a rejecting verdict: the order's stream records why. */
  private static void assertRejected(OrderIntake intake, RejectReason reason, String detail) {
    assertThat(intake).isInstanceOf(OrderIntake.Decided.class);
    assertThat(((OrderIntake.Decided) intake).command().verdict())
        .isEqualTo(new DeskVerdict.Rejected(reason, detail));
  }

  @Test
  void theKillSwitchRefusesEveryOrderUntilItIsOffAgainAndAsksNobody() {
    AtomicReference<OrderPolicy> policy =
        new AtomicReference<>(
            new OrderPolicy(100_000, Set.of("XLON"), true, true, "desk@example.com"));
    OrderDesk halted = new OrderDesk("o", policy::get, directory, risk, InstantSource.system());

    OrderIntake refused =
        halted.place(
            new OrderRequest("c", "ACC-1", "GB0007980591", "BUY", 10, new BigDecimal("4.512")),
            "t");

    assertRefused(
        refused,
        RejectReason.TRADING_HALTED,
        "trading is halted: the desk's kill switch is on; contact desk@example.com");
    assertThat(asked).isEmpty();

    policy.set(new OrderPolicy(100_000, Set.of("XLON")));
    assertAccepted(
        halted.place(
            new OrderRequest("c", "ACC-1", "GB0007980591", "BUY", 10, new BigDecimal("4.512")),
            "t"));
  }

  @Test
  void withoutThePreTradeRiskCheckRiskIsNotAsked() {
    OrderDesk unchecked =
        new OrderDesk(
            "o",
            new OrderPolicy(100_000, Set.of("XLON"), false, false, ""),
            directory,
            risk,
            InstantSource.system());
    riskAnswer = new RiskGate.Answer.Breached("would breach");

    assertAccepted(
        unchecked.place(
            new OrderRequest("c", "ACC-1", "GB0007980591", "BUY", 10, new BigDecimal("4.512")),
            "t"));
    assertThat(asked).containsExactly("instrument GB0007980591", "account ACC-1");
  }

  @Test
  void theConfigDefaultsAreAPolicyThatTradesOnEverySeedVenue() {
    OrderPolicy policy = OrdersConfig.DEFAULTS.policy();
    assertThat(policy.killSwitch()).isFalse();
    assertThat(policy.preTradeRiskCheck()).isTrue();
    assertThat(policy.allowedVenues())
        .containsExactlyInAnyOrderElementsOf(
            dev.firemesh.chassis.refdata.domain.ReferenceSeed.venues().stream()
                .map(v -> v.mic().code())
                .toList());
  }
}
