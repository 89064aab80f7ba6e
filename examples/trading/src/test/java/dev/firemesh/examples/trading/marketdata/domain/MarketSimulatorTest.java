package dev.firemesh.examples.trading.marketdata.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.chassis.refdata.standard.Isin;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class MarketSimulatorTest {

  /**
   * Whatever the random draws, every quote is on the tick, bid below ask, and near the reference.
   */
  @Property(tries = 50)
  void quotesAreSaneForAnySeed(@ForAll long seed) {
    List<Listing> listings =
        List.of(
            new Listing(
                new Isin("GB0007980591"), "XLON", new BigDecimal("0.001"), new BigDecimal("4.512")),
            new Listing(
                new Isin("DE0007164600"),
                "XETR",
                new BigDecimal("0.05"),
                new BigDecimal("238.45")));
    MarketSimulator market =
        new MarketSimulator(
            listings, new java.util.Random(seed), InstantSource.fixed(Instant.EPOCH));
    long last = 0;
    for (int i = 0; i < 2_000; i++) {
      Quote q = market.next();
      Listing l =
          listings.stream().filter(x -> x.isin().equals(q.isin())).findFirst().orElseThrow();
      assertThat(q.bid().remainder(l.tickSize())).isZero();
      assertThat(q.ask().remainder(l.tickSize())).isZero();
      assertThat(q.bid()).isLessThan(q.ask());
      assertThat(q.bid().subtract(l.referencePrice()).abs())
          .isLessThan(l.referencePrice().multiply(new BigDecimal("0.03")));
      assertThat(q.bidSize() % 100).isZero();
      assertThat(q.sequence()).isEqualTo(last + 1);
      last = q.sequence();
    }
  }

  /** Asked for by name, an instrument is quoted; one not listed here is not. */
  @org.junit.jupiter.api.Test
  void aWatchedInstrumentIsQuotedOnDemand() {
    MarketSimulator market =
        new MarketSimulator(
            List.of(
                new Listing(
                    new Isin("GB0007980591"),
                    "XLON",
                    new BigDecimal("0.001"),
                    new BigDecimal("4.512")),
                new Listing(
                    new Isin("DE0007164600"),
                    "XETR",
                    new BigDecimal("0.05"),
                    new BigDecimal("238.45"))),
            new java.util.Random(7),
            InstantSource.fixed(Instant.EPOCH));

    for (int i = 0; i < 20; i++) {
      assertThat(market.next(List.of("DE0007164600")).orElseThrow().isin().value())
          .isEqualTo("DE0007164600");
    }
    assertThat(market.next(List.of("US4592001014"))).isEmpty();
    assertThat(market.next(List.of())).isEmpty();
  }
}
