package dev.firemesh.examples.trading.orders.domain;

import static dev.firemesh.examples.trading.orders.domain.OrderSamples.GBP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.chassis.cqrs.Decision;
import dev.firemesh.examples.trading.orders.domain.OrderCommand.RecordFill;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderAccepted;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

/** The simulated venue's fill plans: what they add up to, their prices, and their repeatability. */
class VenueSimulatorTest {
  private static final Instant ACCEPTED_AT = Instant.parse("2026-11-27T09:30:00Z");

  /** An accepted order with the instrument's tick and lot. */
  record Listed(OrderAccepted order, BigDecimal tick, long lot) {}

  @Provide
  Arbitrary<Listed> orders() {
    Arbitrary<BigDecimal> ticks =
        Arbitraries.of("0.0001", "0.001", "0.01", "0.05", "0.25", "1", "5").map(BigDecimal::new);
    return Combinators.combine(
            Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(20),
            Arbitraries.of(Side.values()),
            Arbitraries.longs().between(1, 1_000_000),
            ticks,
            Arbitraries.longs().between(1, 100_000),
            Arbitraries.of(1L, 1L, 10L, 100L, 500L, 1000L))
        .as(
            (id, side, quantity, tick, ticksInLimit, lot) ->
                new Listed(
                    new OrderAccepted(
                        "o-" + id,
                        "ACC-1",
                        "GB0007980591",
                        side,
                        quantity,
                        tick.multiply(BigDecimal.valueOf(ticksInLimit)),
                        GBP,
                        "XLON"),
                    tick,
                    lot));
  }

  @Property(tries = 1000)
  void aPlanFillsInLotsAtTheLimitOrBetterAndAddsUpUnlessItStopsPartWay(
      @ForAll("orders") Listed listed,
      @ForAll long seed,
      @ForAll @DoubleRange(min = 0, max = 1) double partialShare) {
    OrderAccepted order = listed.order();
    FillPlan plan = new VenueSimulator(seed, partialShare).plan(order, listed.tick(), listed.lot());

    assertThat(plan.orderId()).isEqualTo(order.orderId());
    assertThat(plan.fills()).hasSizeBetween(1, 4);
    if (plan.complete()) {
      assertThat(plan.quantity()).isEqualTo(order.quantity());
    } else {
      assertThat(plan.quantity()).isLessThan(order.quantity());
    }
    Duration previous = Duration.ZERO;
    for (int i = 0; i < plan.fills().size(); i++) {
      FillPlan.Fill fill = plan.fills().get(i);
      assertThat(fill.fillId()).isEqualTo(order.orderId() + "-F" + (i + 1));
      assertThat(fill.quantity()).isPositive();
      boolean lastOfAll = plan.complete() && i == plan.fills().size() - 1;
      if (!lastOfAll) {
        assertThat(fill.quantity() % listed.lot()).as("whole lots").isZero();
      }
      assertThat(fill.price().signum()).isPositive();
      assertThat(fill.price().remainder(listed.tick()).signum()).as("on tick").isZero();
      BigDecimal betterBy =
          order.side() == Side.BUY
              ? order.limitPrice().subtract(fill.price())
              : fill.price().subtract(order.limitPrice());
      assertThat(betterBy).isBetween(BigDecimal.ZERO, listed.tick().multiply(BigDecimal.TWO));
      assertThat(fill.venue()).isEqualTo("XLON");
      assertThat(fill.after()).isGreaterThan(previous);
      previous = fill.after();
    }
  }

  @Property(tries = 300)
  void thePlanDependsOnlyOnTheSeedAndTheOrder(
      @ForAll("orders") Listed listed, @ForAll("orders") Listed other, @ForAll long seed) {
    FillPlan first =
        new VenueSimulator(seed, 0.3).plan(listed.order(), listed.tick(), listed.lot());

    VenueSimulator busy = new VenueSimulator(seed, 0.3);
    busy.plan(other.order(), other.tick(), other.lot());
    assertThat(busy.plan(listed.order(), listed.tick(), listed.lot())).isEqualTo(first);
    assertThat(busy.plan(listed.order(), listed.tick(), listed.lot())).isEqualTo(first);
  }

  @Property(tries = 300)
  void anOrderTakesItsPlanAndTheSamePlanAgainChangesNothing(
      @ForAll("orders") Listed listed, @ForAll long seed) {
    OrderAccepted accepted = listed.order();
    OrderAggregate orders = new OrderAggregate();
    OrderState state =
        OrderSamples.fold(
            orders,
            orders.initial(),
            OrderSamples.events(
                orders.decide(
                    orders.initial(),
                    OrderSamples.place(
                        accepted.orderId(),
                        accepted.account(),
                        accepted.side(),
                        accepted.quantity(),
                        accepted.limitPrice().toPlainString()))));
    FillPlan plan = new VenueSimulator(seed, 0.3).plan(accepted, listed.tick(), listed.lot());
    List<RecordFill> commands = plan.commands(ACCEPTED_AT);

    for (RecordFill fill : commands) {
      state = OrderSamples.fold(orders, state, OrderSamples.events(orders.decide(state, fill)));
    }
    assertThat(state.status())
        .isEqualTo(plan.complete() ? OrderStatus.FILLED : OrderStatus.PARTIALLY_FILLED);
    assertThat(state.filledQuantity()).isEqualTo(plan.quantity());
    // A redelivered OrderAccepted plans the same fills, which the order recognises.
    for (RecordFill again :
        new VenueSimulator(seed, 0.3)
            .plan(accepted, listed.tick(), listed.lot())
            .commands(ACCEPTED_AT)) {
      assertThat(orders.decide(state, again)).isEqualTo(Decision.accept());
    }
  }

  @Test
  void theShareOfPartialPlansFollowsTheSetting() {
    OrderAccepted order =
        new OrderAccepted(
            "o-1", "ACC-1", "GB0007980591", Side.SELL, 1000, new BigDecimal("4.512"), GBP, "XLON");
    BigDecimal tick = new BigDecimal("0.001");
    assertThat(new VenueSimulator(1, 0).plan(order, tick, 100).complete()).isTrue();
    assertThat(new VenueSimulator(1, 1).plan(order, tick, 100).complete()).isFalse();
    // One lot cannot be split: it fills whole, whatever the setting.
    assertThat(new VenueSimulator(1, 1).plan(order, tick, 1000).fills())
        .singleElement()
        .satisfies(f -> assertThat(f.quantity()).isEqualTo(1000));

    long partial =
        IntStream.range(0, 2000)
            .filter(seed -> !new VenueSimulator(seed, 0.25).plan(order, tick, 10).complete())
            .count();
    assertThat(partial).isBetween(400L, 600L);
  }

  @Test
  void seedsAndOrdersMakeDifferentPlans() {
    BigDecimal tick = new BigDecimal("0.001");
    Set<FillPlan> plans = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      OrderAccepted order =
          new OrderAccepted(
              "o-" + i,
              "ACC-1",
              "GB0007980591",
              Side.BUY,
              5000,
              new BigDecimal("4.512"),
              GBP,
              "XLON");
      plans.add(new VenueSimulator(7, 0.2).plan(order, tick, 100));
      plans.add(new VenueSimulator(8, 0.2).plan(order, tick, 100));
    }
    assertThat(plans).hasSize(100);
    assertThat(plans.stream().map(p -> p.fills().size()).distinct())
        .containsExactlyInAnyOrder(1, 2, 3, 4);
  }
}
