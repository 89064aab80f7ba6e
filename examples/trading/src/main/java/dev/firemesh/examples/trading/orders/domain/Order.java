package dev.firemesh.examples.trading.orders.domain;

import dev.firemesh.chassis.refdata.standard.Isin;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;

/**
 * An accepted limit order.
 *
 * @param orderId this desk's id for it
 * @param clientOrderId the client's reference
 * @param venue the MIC it is routed to (the instrument's listing)
 */
public record Order(
    String orderId,
    String clientOrderId,
    String account,
    Isin isin,
    Side side,
    long quantity,
    BigDecimal limitPrice,
    Currency currency,
    String venue,
    Instant acceptedAt) {}
