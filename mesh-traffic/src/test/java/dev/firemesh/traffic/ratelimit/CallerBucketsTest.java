package dev.firemesh.traffic.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Per-caller buckets stay bounded without forgetting any limit that is still running. */
class CallerBucketsTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void eachCallerHasItsOwnBucket() {
    CallerBuckets buckets = new CallerBuckets(SECOND, 1, 10, 0);

    assertThat(buckets.of("gateway", 0).tryAcquire(0)).isZero();
    assertThat(buckets.of("gateway", 0).tryAcquire(0)).isPositive();
    assertThat(buckets.of("risk", 0).tryAcquire(0)).isZero();
    assertThat(buckets.size()).isEqualTo(2);
  }

  @Test
  void aFloodOfNamesSharesTheOverflowBucketAndCannotGrowTheTable() {
    CallerBuckets buckets = new CallerBuckets(SECOND, 1, 3, 0);
    buckets.of("a", 0).tryAcquire(0);
    buckets.of("b", 0).tryAcquire(0);
    buckets.of("c", 0).tryAcquire(0);

    TokenBucket first = buckets.of("flood-1", 0);
    for (int i = 2; i < 10_000; i++) {
      assertThat(buckets.of("flood-" + i, 0)).isSameAs(first);
    }
    assertThat(buckets.size()).isEqualTo(3);
    assertThat(first.tryAcquire(0)).isZero();
    assertThat(buckets.of("flood-x", 0).tryAcquire(0))
        .as("the flood shares one bucket")
        .isPositive();
    assertThat(buckets.of("a", 0).tryAcquire(0)).as("a's limit is kept").isPositive();
  }

  @Test
  void callersIdleLongEnoughToRefillMakeRoomWithoutLosingAnyLimit() {
    CallerBuckets buckets = new CallerBuckets(SECOND, 2, 2, 0);
    buckets.of("idle", 0).tryAcquire(0);
    TokenBucket busy = buckets.of("busy", 0);
    busy.tryAcquire(0);
    busy.tryAcquire(0);

    // At 1.5 s "idle" is full again (it took one token, one refills per second); "busy" is not.
    long now = 1_500_000_000L;
    TokenBucket newcomer = buckets.of("newcomer", now);

    assertThat(buckets.size()).isEqualTo(2);
    assertThat(buckets.of("busy", now)).isSameAs(busy);
    assertThat(buckets.of("newcomer", now)).isSameAs(newcomer);
    assertThat(busy.tryAcquire(now)).isZero();
    assertThat(busy.tryAcquire(now)).as("busy keeps its state").isPositive();
  }

  @Test
  void sweepsAtMostOncePerInterval() {
    CallerBuckets buckets = new CallerBuckets(SECOND, 1, 1, 0);
    buckets.of("a", 0); // full at once: it took nothing

    assertThat(buckets.of("b", 0)).as("swept a").isNotNull();
    assertThat(buckets.size()).isEqualTo(1);
    TokenBucket overflow = buckets.of("c", 1);
    assertThat(buckets.of("d", 2)).as("no sweep within the interval").isSameAs(overflow);
    assertThat(buckets.of("e", CallerBuckets.SWEEP_INTERVAL_NANOS + 1)).isNotSameAs(overflow);
  }
}
