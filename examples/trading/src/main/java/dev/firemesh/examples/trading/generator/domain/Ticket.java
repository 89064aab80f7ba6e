package dev.firemesh.examples.trading.generator.domain;

import java.math.BigDecimal;

/** An order the flow sends, and what it is meant to provoke. */
public record Ticket(
    String clientOrderId,
    String account,
    String isin,
    String side,
    long quantity,
    BigDecimal limitPrice,
    Intent intent) {}
