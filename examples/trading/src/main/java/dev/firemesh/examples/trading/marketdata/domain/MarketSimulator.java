package dev.firemesh.examples.trading.marketdata.domain;

import java.math.BigDecimal;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Makes quotes. Each call to {@link #next} moves one listing's mid price by up to two ticks (with a
 * pull back towards the reference price, so prices wander but do not drift away) and quotes it.
 * Single-threaded: one publisher owns it.
 */
public final class MarketSimulator {
  private final List<Listing> listings;
  private final long[] midTicks;
  private final long[] referenceTicks;
  private final RandomGenerator random;
  private final InstantSource clock;
  private final Map<String, Integer> index;
  private long sequence;

  public MarketSimulator(List<Listing> listings, RandomGenerator random, InstantSource clock) {
    if (listings.isEmpty()) {
      throw new IllegalArgumentException("a market needs at least one listing");
    }
    this.listings = List.copyOf(listings);
    this.midTicks = new long[listings.size()];
    this.referenceTicks = new long[listings.size()];
    for (int i = 0; i < listings.size(); i++) {
      Listing l = listings.get(i);
      referenceTicks[i] = l.referencePrice().divideToIntegralValue(l.tickSize()).longValueExact();
      midTicks[i] = referenceTicks[i];
    }
    this.random = random;
    this.clock = clock;
    Map<String, Integer> byIsin = new HashMap<>();
    for (int i = 0; i < this.listings.size(); i++) {
      byIsin.put(this.listings.get(i).isin().value(), i);
    }
    this.index = Map.copyOf(byIsin);
  }

  public List<Listing> listings() {
    return listings;
  }

  /** The next quote, of an instrument drawn at random. */
  public Quote next() {
    return quote(random.nextInt(listings.size()));
  }

  /**
   * The next quote of one of {@code isins}, drawn at random among those listed here; empty if none
   * is. A market quotes what is watched more often than the rest of a large universe.
   */
  public Optional<Quote> next(List<String> isins) {
    if (isins.isEmpty()) {
      return Optional.empty();
    }
    Integer i = index.get(isins.get(random.nextInt(isins.size())));
    return i == null ? Optional.empty() : Optional.of(quote(i));
  }

  private Quote quote(int i) {
    Listing listing = listings.get(i);
    long step = random.nextInt(-2, 3);
    // Mean reversion: a mid more than 2% away from the reference is nudged back.
    long distance = midTicks[i] - referenceTicks[i];
    if (Math.abs(distance) * 50 > referenceTicks[i]) {
      step = -Long.signum(distance);
    }
    midTicks[i] = Math.max(2, midTicks[i] + step);
    long spread = random.nextInt(1, 4);
    long bidTicks = Math.max(1, midTicks[i] - spread / 2);
    long askTicks = bidTicks + spread;
    BigDecimal tick = listing.tickSize();
    return new Quote(
        listing.isin(),
        listing.venue(),
        tick.multiply(BigDecimal.valueOf(bidTicks)),
        tick.multiply(BigDecimal.valueOf(askTicks)),
        100L * random.nextInt(1, 51),
        100L * random.nextInt(1, 51),
        ++sequence,
        clock.instant());
  }
}
