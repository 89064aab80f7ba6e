package dev.firemesh.examples.trading.risk.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Currency;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RiskBookTest {
  private static final Currency EUR = Currency.getInstance("EUR");
  private static final Currency GBP = Currency.getInstance("GBP");

  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-11-26T09:00:00Z"));
  private final RiskBook book =
      new RiskBook(
          List.of(new Limit("ACC-1", new BigDecimal("100000"), new BigDecimal("250000"))),
          ReferenceRates.sample(),
          (InstantSource) now::get,
          Duration.ofMinutes(1));

  private RiskDecision check(long quantity, String price, Currency currency) {
    return book.check(
        new LimitCheck("ACC-1", "DE0007164600", quantity, new BigDecimal(price), currency));
  }

  @Test
  void anOrderWithinLimitsIsApprovedAndCounted() {
    assertThat(check(100, "238.45", EUR))
        .isEqualTo(
            new RiskDecision.Approved(new BigDecimal("23845.00"), new BigDecimal("226155.00")));
    assertThat(book.usedEur("ACC-1")).isEqualByComparingTo("23845");
  }

  @Test
  void anOrderAboveThePerOrderLimitIsRefusedAndUsesNothing() {
    // GBP 90,000 is EUR 105,300 at the reference rate: over 100,000.
    assertThat(check(20_000, "4.5", GBP))
        .isEqualTo(
            new RiskDecision.Breached(
                "order notional EUR 105,300.00 exceeds the per-order limit of EUR 100,000.00 for ACC-1"));
    assertThat(book.usedEur("ACC-1")).isZero();
  }

  @Test
  void theWindowLimitCountsOnlyTheLastMinute() {
    assertThat(check(1000, "90", EUR)).isInstanceOf(RiskDecision.Approved.class);
    assertThat(check(1000, "90", EUR)).isInstanceOf(RiskDecision.Approved.class);
    RiskDecision third = check(1000, "90", EUR);
    assertThat(third).isInstanceOf(RiskDecision.Breached.class);
    assertThat(((RiskDecision.Breached) third).reason())
        .isEqualTo(
            "gross notional over the last 60 s would be EUR 270,000.00, above the limit of"
                + " EUR 250,000.00 for ACC-1");

    now.set(now.get().plusSeconds(61));
    assertThat(check(1000, "90", EUR)).isInstanceOf(RiskDecision.Approved.class);
    assertThat(book.usedEur("ACC-1")).isEqualByComparingTo("90000");
  }

  @Test
  void unknownAccountsAndCurrenciesAreRefused() {
    assertThat(book.check(new LimitCheck("ACC-2", "X", 1, BigDecimal.ONE, EUR)))
        .isEqualTo(new RiskDecision.Breached("no limits are set for account ACC-2"));
    assertThat(check(1, "1", Currency.getInstance("SEK")))
        .isInstanceOf(RiskDecision.Breached.class);
  }
}
