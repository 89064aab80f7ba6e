package dev.firemesh.examples.trading.orders.domain;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.firemesh.chassis.cqrs.Decision;
import dev.firemesh.examples.trading.orders.domain.OrderCommand.PlaceOrder;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;

/** Orders, commands and the JSON mapper the tests share. */
public final class OrderSamples {
  public static final Currency GBP = Currency.getInstance("GBP");

  private OrderSamples() {}

  /**
   * A mapper configured as the chassis's event store writes events, commands and snapshots ({@code
   * EventTypes.newMapper()}: java.time as ISO-8601 text, decimals read exact, a missing primitive
   * an error; its Jdk8Module is left out, as no order record has an {@code Optional}).
   */
  public static JsonMapper chassisMapper() {
    return JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .build();
  }

  public static PlaceOrder place(
      String orderId, String account, Side side, long quantity, String limitPrice) {
    return place(orderId, account, side, quantity, limitPrice, GBP, new DeskVerdict.Accepted());
  }

  public static PlaceOrder place(
      String orderId,
      String account,
      Side side,
      long quantity,
      String limitPrice,
      Currency currency,
      DeskVerdict verdict) {
    return new PlaceOrder(
        orderId,
        "c-" + orderId,
        account,
        "GB0007980591",
        side,
        quantity,
        new BigDecimal(limitPrice),
        currency,
        "XLON",
        "trader-7",
        verdict);
  }

  /** The events {@code decision} accepts; fails if it is a rejection. */
  public static List<OrderEvent> events(Decision<OrderEvent> decision) {
    if (decision instanceof Decision.Accept<OrderEvent> accept) {
      return accept.events();
    }
    throw new AssertionError("expected the command accepted, got " + decision);
  }

  /** The state after {@code events}, from {@code state}. */
  public static OrderState fold(
      OrderAggregate aggregate, OrderState state, List<OrderEvent> events) {
    for (OrderEvent event : events) {
      state = aggregate.evolve(state, event);
    }
    return state;
  }
}
