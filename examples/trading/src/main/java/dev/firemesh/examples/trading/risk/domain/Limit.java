package dev.firemesh.examples.trading.risk.domain;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * An account's limits, in euros.
 *
 * @param account the account they apply to
 * @param maxOrderNotional the largest notional (quantity x price) of one order
 * @param maxWindowNotional the largest gross notional of all orders accepted within the book's
 *     rolling window, this one included
 */
public record Limit(String account, BigDecimal maxOrderNotional, BigDecimal maxWindowNotional) {
  public Limit {
    Objects.requireNonNull(account, "account");
    if (maxOrderNotional.signum() < 0 || maxWindowNotional.compareTo(maxOrderNotional) < 0) {
      throw new IllegalArgumentException(
          account
              + ": limits must be 0 or more (0 allows nothing) and the window limit at least the"
              + " order limit, got "
              + maxOrderNotional
              + " and "
              + maxWindowNotional);
    }
  }
}
