package dev.firemesh.examples.trading.marketdata.domain;

import dev.firemesh.chassis.refdata.standard.Isin;
import java.math.BigDecimal;

/**
 * An instrument market data quotes: where its prices start and in which steps they move.
 *
 * @param referencePrice yesterday's close, a multiple of {@code tickSize}
 */
public record Listing(Isin isin, String venue, BigDecimal tickSize, BigDecimal referencePrice) {}
