package dev.firemesh.examples.trading.risk.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.firemesh.examples.trading.orders.domain.OrderEvent;
import dev.firemesh.examples.trading.orders.domain.OrderSamples;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Currency;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Risk's reading of order events, from their JSON. */
class OrderEventViewTest {
  private static final JsonMapper JSON = OrderSamples.chassisMapper();
  private static final Currency GBP = Currency.getInstance("GBP");

  private static Optional<OrderEventView> read(String type, String json) throws Exception {
    return OrderEventView.read(type, JSON.readTree(json));
  }

  @Test
  void theTypesRiskReadsAreOrdersEventsButThePlacement() {
    assertThat(OrderEventView.TYPES)
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(OrderEvent.class.getPermittedSubclasses())
                .map(Class::getSimpleName)
                .filter(name -> !name.equals("OrderPlaced"))
                .toList());
  }

  @Test
  void eachTypeIsReadByItsFieldNamesAndOtherFieldsAreIgnored() throws Exception {
    assertThat(
            read(
                "OrderAccepted",
                """
                {"orderId":"o-1","account":"ACC-1","isin":"GB0007980591","side":"BUY",
                 "quantity":1000,"limitPrice":4.512,"currency":"GBP","venue":"XLON","later":true}
                """))
        .contains(new OrderEventView.Accepted("o-1", "ACC-1", 1000, new BigDecimal("4.512"), GBP));
    String fill =
        """
        {"orderId":"o-1","account":"ACC-1","fillId":"o-1-F1","quantity":600,"price":4.510,
         "venue":"XLON","executedAt":"2026-11-27T09:30:00Z","cumulativeQuantity":600,
         "leavesQuantity":400,"limitPrice":4.512,"currency":"GBP"}
        """;
    // A JSON tree keeps a decimal's value, not its trailing zeros (Jackson's default for trees).
    OrderEventView.Filled filled =
        new OrderEventView.Filled(
            "o-1", "ACC-1", "o-1-F1", 600, new BigDecimal("4.51"), new BigDecimal("4.512"), GBP);
    assertThat(read("OrderPartiallyFilled", fill)).contains(filled);
    assertThat(read("OrderFilled", fill)).contains(filled);
    assertThat(
            read(
                "OrderCancelled",
                """
                {"orderId":"o-1","account":"ACC-1","reason":"client","leavesQuantity":400,
                 "limitPrice":4.512,"currency":"GBP"}
                """))
        .contains(new OrderEventView.Cancelled("o-1", "ACC-1", 400, new BigDecimal("4.512"), GBP));
    assertThat(
            read(
                "OrderRejected",
                """
                {"orderId":"o-2","account":"ACC-9","currency":"GBP","reason":"ACCOUNT_CLOSED","detail":"closed"}
                """))
        .contains(new OrderEventView.Rejected("o-2", "ACC-9", GBP));
    assertThat(read("OrderPlaced", "{}")).isEmpty();
    assertThat(read("InstrumentListed", "{}")).isEmpty();
  }

  @Test
  void aMissingOrMalformedFieldIsAnErrorNamingIt() {
    assertThatThrownBy(
            () ->
                read(
                    "OrderAccepted",
                    "{\"orderId\":\"o-1\",\"account\":\"ACC-1\",\"quantity\":10,\"currency\":\"GBP\"}"))
        .hasMessage("OrderAccepted event: \"limitPrice\" must be a number, got nothing");
    assertThatThrownBy(
            () ->
                read(
                    "OrderCancelled",
                    "{\"orderId\":\"o-1\",\"account\":\"ACC-1\",\"leavesQuantity\":1.5,"
                        + "\"limitPrice\":1,\"currency\":\"GBP\"}"))
        .hasMessage(
            "OrderCancelled event: \"leavesQuantity\" must be a positive whole number, got 1.5");
    assertThatThrownBy(
            () ->
                read(
                    "OrderRejected",
                    "{\"orderId\":\"o-1\",\"account\":\"ACC-1\",\"currency\":\"POUNDS\"}"))
        .hasMessage(
            "OrderRejected event: \"currency\" must be an ISO 4217 currency code, got \"POUNDS\"");
  }

  @Test
  void theChangesAreTheDocumentedArithmetic() {
    BigDecimal limit = new BigDecimal("4.512");
    assertThat(Exposure.change(new OrderEventView.Accepted("o", "A", 1000, limit, GBP)))
        .isEqualTo(
            new ExposureChange(
                "A", GBP, new BigDecimal("4512.000"), BigDecimal.ZERO, new BigDecimal("4512.000")));
    assertThat(
            Exposure.change(
                new OrderEventView.Filled("o", "A", "f", 600, new BigDecimal("4.51"), limit, GBP)))
        .isEqualTo(
            new ExposureChange(
                "A", GBP, new BigDecimal("-2707.200"), new BigDecimal("2706.00"), BigDecimal.ZERO));
    assertThat(Exposure.change(new OrderEventView.Cancelled("o", "A", 400, limit, GBP)))
        .isEqualTo(
            new ExposureChange(
                "A", GBP, new BigDecimal("-1804.800"), BigDecimal.ZERO, BigDecimal.ZERO));
    assertThat(Exposure.change(new OrderEventView.Rejected("o", "A", GBP)).none()).isTrue();
  }
}
