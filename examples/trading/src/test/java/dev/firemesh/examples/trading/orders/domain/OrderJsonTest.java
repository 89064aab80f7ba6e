package dev.firemesh.examples.trading.orders.domain;

import static dev.firemesh.examples.trading.orders.domain.OrderSamples.GBP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.firemesh.examples.trading.orders.domain.OrderCommand.CancelOrder;
import dev.firemesh.examples.trading.orders.domain.OrderCommand.PlaceOrder;
import dev.firemesh.examples.trading.orders.domain.OrderCommand.RecordFill;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderAccepted;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderCancelled;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderFilled;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderPartiallyFilled;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderPlaced;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderRejected;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every order command, event and the state, through the JSON mapper the chassis stores them with.
 */
class OrderJsonTest {
  private static final JsonMapper JSON = OrderSamples.chassisMapper();
  private static final Instant T = Instant.parse("2026-11-27T09:30:00.123456Z");
  private static final BigDecimal LIMIT = new BigDecimal("4.5120");

  static final List<OrderCommand> COMMANDS =
      List.of(
          OrderSamples.place("o-1", "ACC-1", Side.BUY, 1000, "4.512"),
          OrderSamples.place(
              "o-2",
              "ACC-1",
              Side.SELL,
              10,
              "4.500",
              GBP,
              new DeskVerdict.Rejected(RejectReason.PRICE_NOT_ON_TICK, "limit price 4.5125 ...")),
          new RecordFill("o-1-F1", 600, new BigDecimal("4.510"), "XLON", T),
          new CancelOrder("client request"));

  static final List<OrderEvent> EVENTS =
      List.of(
          new OrderPlaced(
              "o-1", "", "ACC-1", "GB0007980591", Side.BUY, 1000, LIMIT, GBP, "XLON", "trader-7"),
          new OrderAccepted("o-1", "ACC-1", "GB0007980591", Side.BUY, 1000, LIMIT, GBP, "XLON"),
          new OrderRejected("o-2", "ACC-1", GBP, RejectReason.ACCOUNT_CLOSED, "account is closed"),
          new OrderPartiallyFilled(
              "o-1",
              "ACC-1",
              "o-1-F1",
              600,
              new BigDecimal("4.510"),
              "XLON",
              T,
              600,
              400,
              LIMIT,
              GBP),
          new OrderFilled(
              "o-1",
              "ACC-1",
              "o-1-F2",
              400,
              new BigDecimal("4.5"),
              "XLON",
              T.plusMillis(250),
              1000,
              new BigDecimal("4.506000"),
              LIMIT,
              GBP),
          new OrderCancelled("o-3", "ACC-2", "venue closed", 75, new BigDecimal("123E+2"), GBP));

  @Test
  void everyEventTypeIsCoveredAndRoundTripsExactly() throws Exception {
    assertThat(EVENTS.stream().map(Object::getClass).distinct())
        .containsExactlyInAnyOrder(OrderEvent.class.getPermittedSubclasses());
    for (OrderEvent event : EVENTS) {
      String json = JSON.writeValueAsString(event);
      assertThat(JSON.readValue(json, event.getClass())).as(json).isEqualTo(event);
    }
  }

  @Test
  void everyCommandTypeAndVerdictRoundTripsExactly() throws Exception {
    assertThat(COMMANDS.stream().map(Object::getClass).distinct())
        .containsExactlyInAnyOrder(OrderCommand.class.getPermittedSubclasses());
    for (OrderCommand command : COMMANDS) {
      String json = JSON.writeValueAsString(command);
      assertThat(JSON.readValue(json, command.getClass())).as(json).isEqualTo(command);
    }
  }

  @Test
  void theJsonIsPlainForOtherServicesToRead() throws Exception {
    JsonNode filled = JSON.valueToTree(EVENTS.get(4));
    assertThat(filled.get("executedAt").asText()).isEqualTo("2026-11-27T09:30:00.373456Z");
    assertThat(filled.get("price").decimalValue()).isEqualTo(new BigDecimal("4.5"));
    assertThat(filled.get("currency").asText()).isEqualTo("GBP");
    assertThat(iterable(filled.fieldNames()))
        .containsExactly(
            "orderId",
            "account",
            "fillId",
            "quantity",
            "price",
            "venue",
            "executedAt",
            "cumulativeQuantity",
            "averagePrice",
            "limitPrice",
            "currency");

    JsonNode rejected = JSON.valueToTree(COMMANDS.get(1));
    assertThat(rejected.get("verdict").toString())
        .isEqualTo(
            "{\"kind\":\"REJECTED\",\"reason\":\"PRICE_NOT_ON_TICK\",\"detail\":\"limit price 4.5125 ...\"}");
    assertThat(JSON.valueToTree(COMMANDS.get(0)).get("verdict").toString())
        .isEqualTo("{\"kind\":\"ACCEPTED\"}");
  }

  @Test
  void theStateRoundTripsAsASnapshot() throws Exception {
    OrderState state =
        new OrderState(
            OrderStatus.PARTIALLY_FILLED,
            "o-1",
            "ACC-1",
            1000,
            LIMIT,
            GBP,
            600,
            new BigDecimal("2706.000"),
            new BigDecimal("4.510000"),
            Set.of("o-1-F1"));
    String json = JSON.writeValueAsString(state);
    assertThat(JSON.readValue(json, OrderState.class)).isEqualTo(state);
    assertThat(JSON.readValue(JSON.writeValueAsString(OrderState.NONE), OrderState.class))
        .isEqualTo(OrderState.NONE);
  }

  @Test
  void aCommandThatCouldNeverBeValidDoesNotBind() {
    assertThatThrownBy(
            () ->
                JSON.readValue(
                    "{\"fillId\":\"f\",\"quantity\":0,\"price\":1,\"venue\":\"XLON\","
                        + "\"executedAt\":\"2026-11-27T09:30:00Z\"}",
                    RecordFill.class))
        .hasMessageContaining("quantity must be positive, got 0");
    assertThatThrownBy(
            () ->
                JSON.readValue(
                    "{\"fillId\":\"f\",\"price\":1,\"venue\":\"XLON\","
                        + "\"executedAt\":\"2026-11-27T09:30:00Z\"}",
                    RecordFill.class))
        .hasMessageContaining("quantity");
    assertThatThrownBy(() -> JSON.readValue("{\"reason\":\" \"}", CancelOrder.class))
        .hasMessageContaining("reason must not be blank");
    assertThatThrownBy(
            () ->
                JSON.readValue(
                    JSON.writeValueAsString(COMMANDS.get(0)).replace("ACCEPTED", "MAYBE"),
                    PlaceOrder.class))
        .hasMessageContaining("MAYBE");
  }

  private static List<String> iterable(java.util.Iterator<String> names) {
    List<String> list = new java.util.ArrayList<>();
    names.forEachRemaining(list::add);
    return list;
  }
}
