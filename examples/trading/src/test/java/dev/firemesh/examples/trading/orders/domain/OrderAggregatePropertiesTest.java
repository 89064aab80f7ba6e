package dev.firemesh.examples.trading.orders.domain;

import static dev.firemesh.examples.trading.orders.domain.OrderSamples.GBP;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.firemesh.chassis.cqrs.Decision;
import dev.firemesh.examples.trading.orders.domain.OrderCommand.CancelOrder;
import dev.firemesh.examples.trading.orders.domain.OrderCommand.PlaceOrder;
import dev.firemesh.examples.trading.orders.domain.OrderCommand.RecordFill;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderCancelled;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderFilled;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderPartiallyFilled;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The order aggregate against any sequence of commands, checked step by step against a model of
 * what an order is (written here independently of the aggregate), and for the invariants the rest
 * of the system relies on.
 */
class OrderAggregatePropertiesTest {
  private static final JsonMapper JSON = OrderSamples.chassisMapper();
  private static final Instant T = Instant.parse("2026-11-27T09:30:00Z");

  /**
   * One command of a generated history. {@code kind}: 0 to 2 a fill, 3 a cancel, 4 a placement, 5 a
   * fill sent before, sent again.
   */
  record Step(int kind, long quantity, int fillId, int priceCents, boolean accepted) {
    OrderCommand command(List<RecordFill> sentFills) {
      return switch (kind) {
        case 0, 1, 2 ->
            new RecordFill("f-" + fillId, quantity, BigDecimal.valueOf(priceCents, 2), "XLON", T);
        case 3 -> new CancelOrder("client request");
        case 4 -> placement(quantity, accepted);
        default ->
            sentFills.isEmpty()
                ? new CancelOrder("nothing to resend")
                : sentFills.get(fillId % sentFills.size());
      };
    }
  }

  static PlaceOrder placement(long quantity, boolean accepted) {
    return OrderSamples.place(
        "o-1",
        "ACC-1",
        Side.BUY,
        quantity,
        "10.00",
        GBP,
        accepted
            ? new DeskVerdict.Accepted()
            : new DeskVerdict.Rejected(RejectReason.LIMIT_BREACHED, "over the limit"));
  }

  @Provide
  Arbitrary<List<Step>> histories() {
    Arbitrary<Step> step =
        Combinators.combine(
                Arbitraries.integers().between(0, 5),
                Arbitraries.longs().between(1, 40),
                Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(900, 1000),
                Arbitraries.of(true, true, true, false))
            .as(Step::new);
    return step.list().ofMaxSize(30);
  }

  /** What an order is, by its rules, as plainly as they can be written. */
  private static final class Model {
    boolean placed;
    OrderStatus status = OrderStatus.NEW;
    long quantity;
    long filled;
    final Map<String, Long> fills = new HashMap<>();

    /** The rejection code the command must get, or null if it must be accepted. */
    String expectedRejection(OrderCommand command) {
      return switch (command) {
        case PlaceOrder p -> placed ? "ORDER_EXISTS" : null;
        case RecordFill f -> {
          if (!placed) {
            yield "UNKNOWN_ORDER";
          } else if (fills.containsKey(f.fillId())) {
            yield null;
          } else if (status != OrderStatus.ACCEPTED && status != OrderStatus.PARTIALLY_FILLED) {
            yield "ORDER_NOT_OPEN";
          } else {
            yield filled + f.quantity() > quantity ? "OVERFILL" : null;
          }
        }
        case CancelOrder c -> {
          if (!placed) {
            yield "UNKNOWN_ORDER";
          }
          yield status == OrderStatus.ACCEPTED || status == OrderStatus.PARTIALLY_FILLED
              ? null
              : "ORDER_NOT_OPEN";
        }
      };
    }

    void accepted(OrderCommand command) {
      switch (command) {
        case PlaceOrder p -> {
          placed = true;
          quantity = p.quantity();
          status =
              p.verdict() instanceof DeskVerdict.Accepted
                  ? OrderStatus.ACCEPTED
                  : OrderStatus.REJECTED;
        }
        case RecordFill f -> {
          if (fills.putIfAbsent(f.fillId(), f.quantity()) == null) {
            filled += f.quantity();
            status = filled == quantity ? OrderStatus.FILLED : OrderStatus.PARTIALLY_FILLED;
          }
        }
        case CancelOrder c -> status = OrderStatus.CANCELLED;
      }
    }
  }

  @Property(tries = 500)
  void anyHistoryKeepsTheOrdersRulesAndInvariants(
      @ForAll("histories") List<Step> steps, @ForAll boolean placeFirst) throws Exception {
    OrderAggregate orders = new OrderAggregate();
    Model model = new Model();
    OrderState state = orders.initial();
    List<OrderEvent> history = new ArrayList<>();
    List<RecordFill> sentFills = new ArrayList<>();
    List<OrderCommand> commands = new ArrayList<>();
    if (placeFirst) {
      commands.add(placement(40, true));
    }
    for (Step step : steps) {
      commands.add(step.command(sentFills));
      if (commands.getLast() instanceof RecordFill fill) {
        sentFills.add(fill);
      }
    }

    for (OrderCommand command : commands) {
      String expected = model.expectedRejection(command);
      Decision<OrderEvent> decision = orders.decide(state, command);
      switch (decision) {
        case Decision.Reject<OrderEvent> r -> {
          assertThat(r.code()).as("%s on %s", command, state).isEqualTo(expected);
          continue;
        }
        case Decision.Accept<OrderEvent> a ->
            assertThat(expected).as("%s on %s gave %s", command, state, a).isNull();
      }
      List<OrderEvent> events = ((Decision.Accept<OrderEvent>) decision).events();
      boolean resentFill = command instanceof RecordFill f && state.fillIds().contains(f.fillId());
      if (resentFill) {
        assertThat(events).as("a fill sent again adds nothing").isEmpty();
      }
      OrderState before = state;
      for (OrderEvent event : events) {
        OrderState next = orders.evolve(state, event);
        assertThat(state.status().canBecome(next.status()))
            .as("%s -> %s by %s", state.status(), next.status(), event)
            .isTrue();
        assertEventAgreesWithState(event, state, next);
        state = next;
      }
      history.addAll(events);
      model.accepted(command);

      assertThat(state.status()).isEqualTo(model.status);
      assertThat(state.filledQuantity())
          .isEqualTo(model.filled)
          .isLessThanOrEqualTo(state.quantity());
      assertThat(state.fillIds()).isEqualTo(model.fills.keySet());
      assertThat(state.leavesQuantity()).isBetween(0L, state.quantity());
      if (!resentFill && !events.isEmpty()) {
        assertThat(state).isNotEqualTo(before);
      }
      // The state is the fold of the whole stream, whatever the steps it was reached by.
      assertThat(OrderSamples.fold(orders, orders.initial(), history)).isEqualTo(state);
    }

    // Every event and the state (a snapshot) survive the chassis's JSON as they are.
    for (OrderEvent event : history) {
      assertThat(JSON.readValue(JSON.writeValueAsString(event), event.getClass())).isEqualTo(event);
    }
    assertThat(JSON.readValue(JSON.writeValueAsString(state), OrderState.class)).isEqualTo(state);
  }

  /** What a fill or cancel event says agrees with the states around it. */
  private static void assertEventAgreesWithState(
      OrderEvent event, OrderState before, OrderState after) {
    assertThat(event.orderId()).isEqualTo(after.orderId());
    switch (event) {
      case OrderPartiallyFilled e -> {
        assertThat(e.cumulativeQuantity()).isEqualTo(before.filledQuantity() + e.quantity());
        assertThat(e.leavesQuantity())
            .isEqualTo(before.quantity() - e.cumulativeQuantity())
            .isPositive();
        assertThat(e.limitPrice()).isEqualTo(before.limitPrice());
      }
      case OrderFilled e -> {
        assertThat(e.cumulativeQuantity()).isEqualTo(before.quantity());
        assertThat(e.averagePrice()).isEqualTo(after.averagePrice());
        assertThat(after.averagePrice().multiply(BigDecimal.valueOf(after.filledQuantity())))
            .isCloseTo(
                after.filledNotional(),
                org.assertj.core.data.Offset.offset(
                    new BigDecimal("0.000001")
                        .multiply(BigDecimal.valueOf(after.filledQuantity()))));
      }
      case OrderCancelled e -> {
        assertThat(e.leavesQuantity()).isEqualTo(before.leavesQuantity());
        assertThat(after.leavesQuantity()).isZero();
      }
      default -> {}
    }
  }
}
