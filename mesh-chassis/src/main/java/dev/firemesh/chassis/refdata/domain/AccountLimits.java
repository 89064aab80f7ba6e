package dev.firemesh.chassis.refdata.domain;

import dev.firemesh.chassis.refdata.InvalidReferenceDataException;
import java.math.BigDecimal;

/**
 * A trade account's risk limits, in its base currency; 0 allows nothing.
 *
 * @param maxOrderNotional the largest price times quantity of one order
 * @param maxPosition the largest absolute position in one instrument, in units
 * @param dailyLossLimit the loss in a day after which the account may only reduce risk
 */
public record AccountLimits(
    BigDecimal maxOrderNotional, long maxPosition, BigDecimal dailyLossLimit) {
  public AccountLimits {
    maxOrderNotional = Fields.nonNegative(maxOrderNotional, "maxOrderNotional");
    if (maxPosition < 0) {
      throw new InvalidReferenceDataException(
          "maxPosition", "must be 0 or more, got " + maxPosition);
    }
    dailyLossLimit = Fields.nonNegative(dailyLossLimit, "dailyLossLimit");
  }
}
