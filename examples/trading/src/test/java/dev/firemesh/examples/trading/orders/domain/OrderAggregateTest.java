package dev.firemesh.examples.trading.orders.domain;

import static dev.firemesh.examples.trading.orders.domain.OrderSamples.GBP;
import static dev.firemesh.examples.trading.orders.domain.OrderSamples.events;
import static dev.firemesh.examples.trading.orders.domain.OrderSamples.place;
import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.chassis.cqrs.Decision;
import dev.firemesh.examples.trading.orders.domain.OrderCommand.CancelOrder;
import dev.firemesh.examples.trading.orders.domain.OrderCommand.RecordFill;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderAccepted;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderCancelled;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderFilled;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderPartiallyFilled;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderPlaced;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderRejected;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each decision of the order aggregate, by example. */
class OrderAggregateTest {
  private static final Instant T = Instant.parse("2026-11-27T09:30:00.123456Z");

  private final OrderAggregate orders = new OrderAggregate();
  private OrderState state = orders.initial();

  /** Decides {@code command} on the current state and, if accepted, applies its events. */
  private Decision<OrderEvent> send(OrderCommand command) {
    Decision<OrderEvent> decision = orders.decide(state, command);
    if (decision instanceof Decision.Accept<OrderEvent> accept) {
      state = OrderSamples.fold(orders, state, accept.events());
    }
    return decision;
  }

  private static RecordFill fill(String id, long quantity, String price) {
    return new RecordFill(id, quantity, new BigDecimal(price), "XLON", T);
  }

  private void acceptedOrderOf1000() {
    events(send(place("o-1", "ACC-1", Side.BUY, 1000, "10.05")));
  }

  @Test
  void ordersLiveInTheOrderCategory() {
    assertThat(orders.category()).isEqualTo("order");
    assertThat(orders.initial()).isEqualTo(OrderState.NONE);
    assertThat(OrderState.NONE.placed()).isFalse();
  }

  @Test
  void anAcceptedPlacementIsPlacedThenAccepted() {
    assertThat(events(send(place("o-1", "ACC-1", Side.BUY, 1000, "10.05"))))
        .containsExactly(
            new OrderPlaced(
                "o-1",
                "c-o-1",
                "ACC-1",
                "GB0007980591",
                Side.BUY,
                1000,
                new BigDecimal("10.05"),
                GBP,
                "XLON",
                "trader-7"),
            new OrderAccepted(
                "o-1",
                "ACC-1",
                "GB0007980591",
                Side.BUY,
                1000,
                new BigDecimal("10.05"),
                GBP,
                "XLON"));
    assertThat(state.status()).isEqualTo(OrderStatus.ACCEPTED);
    assertThat(state.leavesQuantity()).isEqualTo(1000);
  }

  @Test
  void aRejectedPlacementIsPlacedThenRejectedWithTheDesksReason() {
    DeskVerdict.Rejected verdict =
        new DeskVerdict.Rejected(RejectReason.LIMIT_BREACHED, "order notional EUR 12,060.00 ...");

    assertThat(events(send(place("o-1", "ACC-1", Side.SELL, 1000, "10.05", GBP, verdict))))
        .last()
        .isEqualTo(
            new OrderRejected(
                "o-1",
                "ACC-1",
                GBP,
                RejectReason.LIMIT_BREACHED,
                "order notional EUR 12,060.00 ..."));
    assertThat(state.status()).isEqualTo(OrderStatus.REJECTED);
    assertThat(state.leavesQuantity()).isZero();
  }

  @Test
  void anOrderIsPlacedOnce() {
    acceptedOrderOf1000();

    assertThat(send(place("o-1", "ACC-1", Side.BUY, 5, "1.00")))
        .isEqualTo(Decision.reject("ORDER_EXISTS", "order o-1 exists already (ACCEPTED)"));
  }

  @Test
  void fillsAndCancelsNeedAPlacedOrder() {
    assertThat(send(fill("f-1", 1, "1.00")))
        .isEqualTo(Decision.reject("UNKNOWN_ORDER", "no order has been placed under this id"));
    assertThat(send(new CancelOrder("client request")))
        .isEqualTo(Decision.reject("UNKNOWN_ORDER", "no order has been placed under this id"));
    assertThat(state).isEqualTo(OrderState.NONE);
  }

  @Test
  void partialFillsThenTheLastOneFillTheOrderAtTheVolumeWeightedAverage() {
    acceptedOrderOf1000();

    assertThat(events(send(fill("f-1", 600, "10.00"))))
        .containsExactly(
            new OrderPartiallyFilled(
                "o-1",
                "ACC-1",
                "f-1",
                600,
                new BigDecimal("10.00"),
                "XLON",
                T,
                600,
                400,
                new BigDecimal("10.05"),
                GBP));
    assertThat(state.status()).isEqualTo(OrderStatus.PARTIALLY_FILLED);
    assertThat(events(send(fill("f-2", 400, "10.05"))))
        .containsExactly(
            new OrderFilled(
                "o-1",
                "ACC-1",
                "f-2",
                400,
                new BigDecimal("10.05"),
                "XLON",
                T,
                1000,
                new BigDecimal("10.020000"),
                new BigDecimal("10.05"),
                GBP));
    assertThat(state)
        .isEqualTo(
            new OrderState(
                OrderStatus.FILLED,
                "o-1",
                "ACC-1",
                1000,
                new BigDecimal("10.05"),
                GBP,
                1000,
                new BigDecimal("10020.00"),
                new BigDecimal("10.020000"),
                Set.of("f-1", "f-2")));
  }

  @Test
  void aFillBeyondWhatIsOpenIsAnOverfill() {
    acceptedOrderOf1000();
    send(fill("f-1", 600, "10.00"));

    assertThat(send(fill("f-2", 401, "10.00")))
        .isEqualTo(
            Decision.reject("OVERFILL", "fill f-2 of 401 exceeds the 400 open on order o-1"));
    assertThat(state.filledQuantity()).isEqualTo(600);
  }

  @Test
  void aFillSentAgainIsAcceptedWithoutEventsEvenAfterTheOrderIsDone() {
    acceptedOrderOf1000();
    send(fill("f-1", 600, "10.00"));

    assertThat(send(fill("f-1", 600, "10.00"))).isEqualTo(Decision.accept());
    send(fill("f-2", 400, "10.00"));
    assertThat(send(fill("f-1", 600, "10.00"))).isEqualTo(Decision.accept());
    assertThat(send(fill("f-2", 400, "10.00"))).isEqualTo(Decision.accept());
    assertThat(state.filledQuantity()).isEqualTo(1000);
  }

  @Test
  void aNewFillOnAnOrderThatIsNotOpenIsRefused() {
    acceptedOrderOf1000();
    send(fill("f-1", 1000, "10.00"));

    assertThat(send(fill("f-2", 1, "10.00")))
        .isEqualTo(Decision.reject("ORDER_NOT_OPEN", "order o-1 is FILLED, fill f-2"));
  }

  @Test
  void aFillOnARejectedOrderIsRefused() {
    send(
        place(
            "o-1",
            "ACC-1",
            Side.BUY,
            10,
            "1.00",
            GBP,
            new DeskVerdict.Rejected(RejectReason.ACCOUNT_CLOSED, "account ACC-1 is closed")));

    assertThat(send(fill("f-1", 1, "1.00")))
        .isEqualTo(Decision.reject("ORDER_NOT_OPEN", "order o-1 is REJECTED, fill f-1"));
    assertThat(send(new CancelOrder("client request")))
        .isEqualTo(Decision.reject("ORDER_NOT_OPEN", "order o-1 is REJECTED, not open"));
  }

  @Test
  void aCancelReleasesWhatIsLeftAndEndsTheOrder() {
    acceptedOrderOf1000();
    send(fill("f-1", 250, "10.05"));

    assertThat(events(send(new CancelOrder("client request"))))
        .containsExactly(
            new OrderCancelled(
                "o-1", "ACC-1", "client request", 750, new BigDecimal("10.05"), GBP));
    assertThat(state.status()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(state.filledQuantity()).isEqualTo(250);
    assertThat(send(new CancelOrder("again")))
        .isEqualTo(Decision.reject("ORDER_NOT_OPEN", "order o-1 is CANCELLED, not open"));
    assertThat(send(fill("f-2", 1, "10.05")))
        .isEqualTo(Decision.reject("ORDER_NOT_OPEN", "order o-1 is CANCELLED, fill f-2"));
  }

  @Test
  void aFilledOrderCannotBeCancelled() {
    acceptedOrderOf1000();
    send(fill("f-1", 1000, "10.05"));

    assertThat(send(new CancelOrder("too late")))
        .isEqualTo(Decision.reject("ORDER_NOT_OPEN", "order o-1 is FILLED, not open"));
  }
}
