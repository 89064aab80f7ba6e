package dev.firemesh.examples.trading.risk.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Currency;

/** Reads the fields of one event's JSON, failing with the event type and the field named. */
final class EventFields {
  private final String type;
  private final JsonNode event;

  EventFields(String type, JsonNode event) {
    this.type = type;
    this.event = event;
  }

  String text(String name) {
    JsonNode node = event.path(name);
    if (!node.isTextual() || node.asText().isBlank()) {
      throw invalid(name, node, "text");
    }
    return node.asText();
  }

  long quantity(String name) {
    JsonNode node = event.path(name);
    if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() <= 0) {
      throw invalid(name, node, "a positive whole number");
    }
    return node.asLong();
  }

  BigDecimal decimal(String name) {
    JsonNode node = event.path(name);
    if (!node.isNumber()) {
      throw invalid(name, node, "a number");
    }
    return node.decimalValue();
  }

  Currency currency(String name) {
    String code = text(name);
    try {
      return Currency.getInstance(code);
    } catch (IllegalArgumentException e) {
      throw invalid(name, event.path(name), "an ISO 4217 currency code");
    }
  }

  private IllegalArgumentException invalid(String name, JsonNode node, String expected) {
    return new IllegalArgumentException(
        type
            + " event: \""
            + name
            + "\" must be "
            + expected
            + ", got "
            + (node.isMissingNode() ? "nothing" : node.toString()));
  }
}
