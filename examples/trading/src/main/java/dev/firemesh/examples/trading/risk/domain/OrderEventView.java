package dev.firemesh.examples.trading.risk.domain;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Order events as risk reads them: from the JSON orders writes, by event type name and field name,
 * taking only what exposure needs. Risk knows no class of orders; this is its half of the contract,
 * and a field orders adds is ignored here.
 *
 * <table>
 *   <caption>Event types and the fields read</caption>
 *   <tr><th>type</th><th>view</th><th>fields</th></tr>
 *   <tr><td>{@code OrderAccepted}</td><td>{@link Accepted}</td>
 *       <td>orderId, account, quantity, limitPrice, currency</td></tr>
 *   <tr><td>{@code OrderPartiallyFilled}, {@code OrderFilled}</td><td>{@link Filled}</td>
 *       <td>orderId, account, fillId, quantity, price, limitPrice, currency</td></tr>
 *   <tr><td>{@code OrderCancelled}</td><td>{@link Cancelled}</td>
 *       <td>orderId, account, leavesQuantity, limitPrice, currency</td></tr>
 *   <tr><td>{@code OrderRejected}</td><td>{@link Rejected}</td><td>orderId, account, currency</td></tr>
 * </table>
 *
 * <p>A view travels itself as JSON inside risk's {@link TrackOrderEvent} command, named by its
 * {@code view} field ({@code Accepted}, {@code Filled}, {@code Cancelled}, {@code Rejected}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "view")
@JsonSubTypes({
  @JsonSubTypes.Type(value = OrderEventView.Accepted.class, name = "Accepted"),
  @JsonSubTypes.Type(value = OrderEventView.Filled.class, name = "Filled"),
  @JsonSubTypes.Type(value = OrderEventView.Cancelled.class, name = "Cancelled"),
  @JsonSubTypes.Type(value = OrderEventView.Rejected.class, name = "Rejected")
})
public sealed interface OrderEventView {

  /** The event type names risk reads: the filter of its subscription. */
  Set<String> TYPES =
      Set.of(
          "OrderAccepted",
          "OrderPartiallyFilled",
          "OrderFilled",
          "OrderCancelled",
          "OrderRejected");

  String orderId();

  String account();

  /** An order open for {@code quantity} at {@code limitPrice}. */
  record Accepted(
      String orderId, String account, long quantity, BigDecimal limitPrice, Currency currency)
      implements OrderEventView {
    public Accepted {
      Objects.requireNonNull(orderId, "orderId");
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(limitPrice, "limitPrice");
      Objects.requireNonNull(currency, "currency");
    }
  }

  /** A fill of {@code quantity} at {@code price} on an order with limit {@code limitPrice}. */
  record Filled(
      String orderId,
      String account,
      String fillId,
      long quantity,
      BigDecimal price,
      BigDecimal limitPrice,
      Currency currency)
      implements OrderEventView {
    public Filled {
      Objects.requireNonNull(orderId, "orderId");
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(fillId, "fillId");
      Objects.requireNonNull(price, "price");
      Objects.requireNonNull(limitPrice, "limitPrice");
      Objects.requireNonNull(currency, "currency");
    }
  }

  /** The open {@code leavesQuantity} of an order with limit {@code limitPrice}, cancelled. */
  record Cancelled(
      String orderId, String account, long leavesQuantity, BigDecimal limitPrice, Currency currency)
      implements OrderEventView {
    public Cancelled {
      Objects.requireNonNull(orderId, "orderId");
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(limitPrice, "limitPrice");
      Objects.requireNonNull(currency, "currency");
    }
  }

  /** An order the desk refused; it was never open. */
  record Rejected(String orderId, String account, Currency currency) implements OrderEventView {
    public Rejected {
      Objects.requireNonNull(orderId, "orderId");
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(currency, "currency");
    }
  }

  /**
   * The view of an event of type {@code type} with payload {@code event}; empty for a type risk
   * does not read (not in {@link #TYPES}).
   *
   * @param event the payload, read with decimals exact ({@code USE_BIG_DECIMAL_FOR_FLOATS}, as the
   *     chassis's event mapper does); a tree keeps a decimal's value but may drop its trailing
   *     zeros, which no exposure figure depends on
   * @throws IllegalArgumentException if a field risk reads is missing or malformed, naming it
   */
  static Optional<OrderEventView> read(String type, JsonNode event) {
    EventFields f = new EventFields(type, event);
    return Optional.ofNullable(
        switch (type) {
          case "OrderAccepted" ->
              new Accepted(
                  f.text("orderId"),
                  f.text("account"),
                  f.quantity("quantity"),
                  f.decimal("limitPrice"),
                  f.currency("currency"));
          case "OrderPartiallyFilled", "OrderFilled" ->
              new Filled(
                  f.text("orderId"),
                  f.text("account"),
                  f.text("fillId"),
                  f.quantity("quantity"),
                  f.decimal("price"),
                  f.decimal("limitPrice"),
                  f.currency("currency"));
          case "OrderCancelled" ->
              new Cancelled(
                  f.text("orderId"),
                  f.text("account"),
                  f.quantity("leavesQuantity"),
                  f.decimal("limitPrice"),
                  f.currency("currency"));
          case "OrderRejected" ->
              new Rejected(f.text("orderId"), f.text("account"), f.currency("currency"));
          default -> null;
        });
  }
}
