package dev.firemesh.examples.trading.risk.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.firemesh.examples.trading.orders.domain.DeskVerdict;
import dev.firemesh.examples.trading.orders.domain.FillPlan;
import dev.firemesh.examples.trading.orders.domain.OrderAggregate;
import dev.firemesh.examples.trading.orders.domain.OrderCommand;
import dev.firemesh.examples.trading.orders.domain.OrderCommand.CancelOrder;
import dev.firemesh.examples.trading.orders.domain.OrderEvent;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderAccepted;
import dev.firemesh.examples.trading.orders.domain.OrderSamples;
import dev.firemesh.examples.trading.orders.domain.OrderState;
import dev.firemesh.examples.trading.orders.domain.RejectReason;
import dev.firemesh.examples.trading.orders.domain.Side;
import dev.firemesh.examples.trading.orders.domain.VenueSimulator;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Currency;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Exposure as a projection: real order histories (the order aggregate driven by the venue
 * simulator), interleaved across orders as a subscription may deliver them, written as the chassis
 * writes events and read back as risk reads them, folded; end-of-day resets at any point.
 */
class ExposurePropertiesTest {
  private static final JsonMapper JSON = OrderSamples.chassisMapper();
  private static final List<String> ACCOUNTS = List.of("ACC-1", "ACC-2");
  private static final List<Currency> CURRENCIES =
      List.of(Currency.getInstance("GBP"), Currency.getInstance("USD"));
  private static final BigDecimal TICK = new BigDecimal("0.01");

  /**
   * One order's life.
   *
   * @param cancelAfter cancel after this many of its planned fills; past the plan's end, only a
   *     partial plan's order is cancelled (so every order ends)
   */
  record Life(
      int account,
      int currency,
      long quantity,
      long limitTicks,
      boolean accepted,
      long seed,
      int cancelAfter) {}

  record Key(String account, Currency currency) {}

  @Provide
  Arbitrary<List<Life>> lives() {
    return Combinators.combine(
            Arbitraries.integers().between(0, ACCOUNTS.size() - 1),
            Arbitraries.integers().between(0, CURRENCIES.size() - 1),
            Arbitraries.longs().between(1, 20_000),
            Arbitraries.longs().between(1, 50_000),
            Arbitraries.of(true, true, true, false),
            Arbitraries.longs(),
            Arbitraries.integers().between(0, 6))
        .as(Life::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(8);
  }

  /** The events of {@code life}'s order, in stream order; every order ends. */
  private static List<OrderEvent> history(int index, Life life) {
    OrderAggregate orders = new OrderAggregate();
    String orderId = "o-" + index;
    List<OrderCommand> commands = new ArrayList<>();
    commands.add(
        OrderSamples.place(
            orderId,
            ACCOUNTS.get(life.account()),
            life.seed() % 2 == 0 ? Side.BUY : Side.SELL,
            life.quantity(),
            TICK.multiply(BigDecimal.valueOf(life.limitTicks())).toPlainString(),
            CURRENCIES.get(life.currency()),
            life.accepted()
                ? new DeskVerdict.Accepted()
                : new DeskVerdict.Rejected(RejectReason.LIMIT_BREACHED, "over")));
    OrderState state = orders.initial();
    List<OrderEvent> events = new ArrayList<>();
    for (int i = 0; i < commands.size(); i++) {
      List<OrderEvent> decided = OrderSamples.events(orders.decide(state, commands.get(i)));
      state = OrderSamples.fold(orders, state, decided);
      events.addAll(decided);
      if (i == 0 && decided.getLast() instanceof OrderAccepted accepted) {
        FillPlan plan = new VenueSimulator(life.seed(), 0.3).plan(accepted, TICK, 10);
        List<OrderCommand.RecordFill> fills = plan.commands(Instant.EPOCH);
        if (life.cancelAfter() < fills.size()) {
          commands.addAll(fills.subList(0, life.cancelAfter()));
          commands.add(new CancelOrder("client request"));
        } else {
          commands.addAll(fills);
          if (!plan.complete()) {
            commands.add(new CancelOrder("venue closed"));
          }
        }
      }
    }
    assertThat(state.status().open()).as("every generated order ends").isFalse();
    return events;
  }

  @Property(tries = 200)
  void openExposureIsWhatOpenOrdersHoldAndReturnsToZeroOnceEveryOrderEnds(
      @ForAll("lives") List<Life> lives,
      @ForAll long delivery,
      @ForAll("resets") Set<Integer> resets)
      throws Exception {
    List<Deque<OrderEvent>> streams = new ArrayList<>();
    for (int i = 0; i < lives.size(); i++) {
      streams.add(new ArrayDeque<>(history(i, lives.get(i))));
    }
    OrderAggregate orders = new OrderAggregate();
    Map<String, OrderState> seen = new HashMap<>();
    Map<Key, Exposure> book = new HashMap<>();
    Map<Key, BigDecimal> filledSinceReset = new HashMap<>();
    Map<Key, BigDecimal> usedSinceReset = new HashMap<>();
    Random random = new Random(delivery);
    int position = 0;
    while (streams.stream().anyMatch(s -> !s.isEmpty())) {
      List<Deque<OrderEvent>> pending = streams.stream().filter(s -> !s.isEmpty()).toList();
      OrderEvent event = pending.get(random.nextInt(pending.size())).removeFirst();
      seen.merge(
          event.orderId(),
          orders.evolve(orders.initial(), event),
          (state, ignored) -> orders.evolve(state, event));

      // Written by orders, read by risk: JSON and the type name are all they share.
      String type = event.getClass().getSimpleName();
      var view = OrderEventView.read(type, JSON.readTree(JSON.writeValueAsString(event)));
      assertThat(view.isPresent()).isEqualTo(OrderEventView.TYPES.contains(type));
      if (view.isPresent()) {
        ExposureChange change = Exposure.change(view.get());
        Key key = new Key(change.account(), change.currency());
        book.put(
            key,
            book.getOrDefault(key, Exposure.none(key.account(), key.currency())).apply(change));
        switch (event) {
          case OrderAccepted a ->
              usedSinceReset.merge(
                  key, a.limitPrice().multiply(BigDecimal.valueOf(a.quantity())), BigDecimal::add);
          case OrderEvent.OrderPartiallyFilled f ->
              filledSinceReset.merge(
                  key, f.price().multiply(BigDecimal.valueOf(f.quantity())), BigDecimal::add);
          case OrderEvent.OrderFilled f ->
              filledSinceReset.merge(
                  key, f.price().multiply(BigDecimal.valueOf(f.quantity())), BigDecimal::add);
          default -> {}
        }
      }
      if (resets.contains(position++)) {
        Map<Key, Exposure> before = Map.copyOf(book);
        book.replaceAll((key, exposure) -> DailyLimits.reset(exposure));
        book.forEach(
            (key, exposure) ->
                assertThat(exposure.openNotional()).isEqualTo(before.get(key).openNotional()));
        filledSinceReset.clear();
        usedSinceReset.clear();
      }

      for (Map.Entry<Key, Exposure> entry : book.entrySet()) {
        Key key = entry.getKey();
        BigDecimal held =
            seen.values().stream()
                .filter(
                    s -> s.account().equals(key.account()) && s.currency().equals(key.currency()))
                .map(s -> s.limitPrice().multiply(BigDecimal.valueOf(s.leavesQuantity())))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        Exposure exposure = entry.getValue();
        assertThat(exposure.openNotional()).as("open of %s", key).isEqualByComparingTo(held);
        assertThat(exposure.filledToday())
            .isEqualByComparingTo(filledSinceReset.getOrDefault(key, BigDecimal.ZERO));
        assertThat(exposure.usedToday())
            .isEqualByComparingTo(usedSinceReset.getOrDefault(key, BigDecimal.ZERO));
      }
    }

    assertThat(book.values())
        .allSatisfy(e -> assertThat(e.openNotional().signum()).as("open of %s", e).isZero());
  }

  @Provide
  Arbitrary<Set<Integer>> resets() {
    return Arbitraries.integers().between(0, 60).set().ofMaxSize(3);
  }
}
