package dev.firemesh.examples.trading.orders.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.chassis.refdata.standard.Isin;
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

  private OrderOutcome place(
      String account, String isin, String side, long quantity, String price) {
    return desk.place(
        new OrderRequest("c-1", account, isin, side, quantity, new BigDecimal(price)));
  }

  @Test
  void aValidOrderIsAcceptedAfterReferenceDataAndRisk() {
    OrderOutcome outcome = place("ACC-1", "GB0007980591", "buy", 1000, "4.512");
    assertThat(outcome).isInstanceOf(OrderOutcome.Accepted.class);
    Order order = ((OrderOutcome.Accepted) outcome).order();
    assertThat(order.orderId()).isEqualTo("orders-v1-1-000001");
    assertThat(order.side()).isEqualTo(Side.BUY);
    assertThat(order.venue()).isEqualTo("XLON");
    assertThat(order.currency()).isEqualTo(Currency.getInstance("GBP"));
    assertThat(asked)
        .containsExactly("instrument GB0007980591", "account ACC-1", "risk ACC-1 1000@4.512 GBP");
    assertThat(desk.order("orders-v1-1-000001")).contains(order);
    assertThat(desk.stats().accepted()).isEqualTo(1);
  }

  @Test
  void malformedOrdersAreRejectedWithoutAskingAnyone() {
    assertRejected(
        place("ACC-1", "GB0007980591", "HOLD", 10, "4.5"),
        RejectReason.INVALID_ORDER,
        "side must be BUY or SELL, got \"HOLD\"");
    assertRejected(
        place("ACC-1", "GB0007980591", "BUY", 0, "4.5"),
        RejectReason.INVALID_ORDER,
        "quantity must be positive, got 0");
    assertRejected(
        place("ACC-1", "GB0007980591", "BUY", 10, "0"),
        RejectReason.INVALID_ORDER,
        "limit price must be positive, got 0");
    assertRejected(
        place("ACC-1", "GB0007980592", "BUY", 10, "4.5"),
        RejectReason.INVALID_ORDER,
        "ISIN GB0007980592: check digit is 2, expected 1");
    assertRejected(
        place("ACC-1", "GB0007980591", "BUY", 100_001, "4.5"),
        RejectReason.QUANTITY_ABOVE_MAXIMUM,
        "quantity 100001 is above the desk's maximum of 100000");
    assertThat(asked).isEmpty();
  }

  @Test
  void ordersAreCheckedAgainstReferenceData() {
    assertRejected(
        place("ACC-1", Isin.of("XS000000000").value(), "BUY", 10, "1"),
        RejectReason.UNKNOWN_INSTRUMENT,
        "no instrument with ISIN XS0000000009");
    assertRejected(
        place("ACC-1", "US4592001014", "BUY", 10, "221.37"),
        RejectReason.VENUE_NOT_ALLOWED,
        "US4592001014 is listed on XNYS, where this desk does not trade");
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
    assertRejected(
        place("ACC-1", "GB0007980591", "SELL", 10, "4.5"),
        RejectReason.DEPENDENCY_UNAVAILABLE,
        "risk unavailable: risk answered 503");
  }

  @Test
  void anUnreachableDependencyIsNotAnUnknownInstrument() {
    referenceDataDown = true;
    assertRejected(
        place("ACC-1", "GB0007980591", "BUY", 10, "4.5"),
        RejectReason.DEPENDENCY_UNAVAILABLE,
        "reference data unavailable: connection refused");
    assertThat(desk.stats().rejected())
        .containsExactly(Map.entry(RejectReason.DEPENDENCY_UNAVAILABLE, 1L));
  }

  private static void assertRejected(OrderOutcome outcome, RejectReason reason, String detail) {
    assertThat(outcome).isEqualTo(new OrderOutcome.Rejected(reason, detail));
  }

  @Test
  void theKillSwitchRefusesEveryOrderUntilItIsOffAgainAndAsksNobody() {
    AtomicReference<OrderPolicy> policy =
        new AtomicReference<>(
            new OrderPolicy(100_000, Set.of("XLON"), true, true, "desk@example.com"));
    OrderDesk halted = new OrderDesk("o", policy::get, directory, risk, InstantSource.system());

    OrderOutcome refused =
        halted.place(
            new OrderRequest("c", "ACC-1", "GB0007980591", "BUY", 10, new BigDecimal("4.512")));

    assertRejected(
        refused,
        RejectReason.TRADING_HALTED,
        "trading is halted: the desk's kill switch is on; contact desk@example.com");
    assertThat(asked).isEmpty();

    policy.set(new OrderPolicy(100_000, Set.of("XLON")));
    assertThat(
            halted.place(
                new OrderRequest("c", "ACC-1", "GB0007980591", "BUY", 10, new BigDecimal("4.512"))))
        .isInstanceOf(OrderOutcome.Accepted.class);
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

    assertThat(
            unchecked.place(
                new OrderRequest("c", "ACC-1", "GB0007980591", "BUY", 10, new BigDecimal("4.512"))))
        .isInstanceOf(OrderOutcome.Accepted.class);
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
