package dev.firemesh.examples.trading.generator.domain;

import java.math.BigDecimal;

/** The best bid and ask of an instrument, as last quoted. */
public record Touch(BigDecimal bid, BigDecimal ask) {}
