package dev.firemesh.examples.trading.orders.domain;

import dev.firemesh.chassis.refdata.standard.Isin;
import java.math.BigDecimal;
import java.util.Currency;

/** What orders needs to know of an instrument, from reference data. */
public record ListedInstrument(
    Isin isin, String name, String venue, Currency currency, BigDecimal tickSize) {}
