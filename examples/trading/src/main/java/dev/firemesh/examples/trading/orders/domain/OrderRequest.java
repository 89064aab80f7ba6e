package dev.firemesh.examples.trading.orders.domain;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * An order as a client sent it, not yet checked: any field may be wrong, which is what {@link
 * OrderDesk#place} finds out.
 *
 * @param clientOrderId the client's own reference (may be empty)
 * @param account the trade account to book to
 * @param isin the instrument, as text
 * @param side BUY or SELL, as text
 * @param quantity the number of shares
 * @param limitPrice the worst price the client accepts, in the instrument's currency
 */
public record OrderRequest(
    String clientOrderId,
    String account,
    String isin,
    String side,
    long quantity,
    BigDecimal limitPrice) {
  public OrderRequest {
    Objects.requireNonNull(clientOrderId, "clientOrderId");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(isin, "isin");
    Objects.requireNonNull(side, "side");
    Objects.requireNonNull(limitPrice, "limitPrice");
  }
}
