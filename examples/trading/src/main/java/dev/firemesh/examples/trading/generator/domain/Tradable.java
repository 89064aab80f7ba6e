package dev.firemesh.examples.trading.generator.domain;

import java.math.BigDecimal;

/**
 * An instrument the flow may trade, from reference data.
 *
 * @param eurPerUnit what one unit of the instrument's currency is worth in euros, as risk values
 *     it: the flow sizes its orders in euros, so that an order meant to breach the per-order limit
 *     (set in euros) does so in yen as in sterling
 */
public record Tradable(
    String isin,
    String name,
    BigDecimal tickSize,
    BigDecimal referencePrice,
    BigDecimal eurPerUnit) {}
