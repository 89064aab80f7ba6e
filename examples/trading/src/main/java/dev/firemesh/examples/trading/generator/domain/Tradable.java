package dev.firemesh.examples.trading.generator.domain;

import java.math.BigDecimal;

/** An instrument the flow may trade, from reference data. */
public record Tradable(String isin, String name, BigDecimal tickSize, BigDecimal referencePrice) {}
