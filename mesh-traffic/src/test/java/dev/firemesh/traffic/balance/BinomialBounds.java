package dev.firemesh.traffic.balance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Statistical assertions with a false alarm rate low enough for CI: an observed count of successes
 * must lie within five standard deviations of its binomial expectation (about 1 in 1.7 million per
 * check).
 */
public final class BinomialBounds {
  private BinomialBounds() {}

  public static void assertWithinFiveSigma(String what, long observed, long trials, double p) {
    double expected = trials * p;
    double sigma = Math.sqrt(trials * p * (1 - p));
    assertThat((double) observed)
        .as(
            "%s: %d of %d trials, expected %.1f +- 5 x %.1f",
            what, observed, trials, expected, sigma)
        .isBetween(expected - 5 * sigma - 1e-9, expected + 5 * sigma + 1e-9);
  }
}
