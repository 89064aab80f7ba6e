package dev.firemesh.chassis.refdata.owner;

import java.time.Duration;

/**
 * How much of the change log the owner keeps for replicas to catch up from; a replica behind what
 * was pruned reloads a snapshot instead. A version goes when it is outside the last {@code
 * keepVersions} or older than {@code keepFor}, whichever comes first, so the log stays bounded
 * however busy the owner is.
 *
 * @param pruneEvery how often the owner prunes
 */
public record Retention(long keepVersions, Duration keepFor, Duration pruneEvery) {
  public static final Retention DEFAULT =
      new Retention(100_000, Duration.ofDays(7), Duration.ofMinutes(1));

  public Retention {
    if (keepVersions < 1 || keepFor.isNegative() || keepFor.isZero() || pruneEvery.isZero()) {
      throw new IllegalArgumentException(
          "retention keeps at least one version for a positive time, pruning at a positive"
              + " interval: "
              + keepVersions
              + ", "
              + keepFor
              + ", "
              + pruneEvery);
    }
  }
}
