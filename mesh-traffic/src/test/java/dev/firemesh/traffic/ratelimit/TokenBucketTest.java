package dev.firemesh.traffic.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The token bucket on a clock the test drives: burst, refill, waits, and its bound under load. */
class TokenBucketTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void grantsTheBurstAtOnceThenRefusesWithTheWaitForTheNextToken() {
    long interval = TokenBucket.interval(2); // 500 ms
    TokenBucket bucket = new TokenBucket(interval, 5, 0);

    for (int i = 0; i < 5; i++) {
      assertThat(bucket.tryAcquire(0)).as("token %d", i).isZero();
    }
    assertThat(bucket.tryAcquire(0)).isEqualTo(500_000_000L);
    assertThat(bucket.tryAcquire(200_000_000L)).isEqualTo(300_000_000L);
    assertThat(bucket.available(200_000_000L)).isZero();
  }

  @Test
  void refillsAtTheRateAndNeverBeyondTheBurst() {
    TokenBucket bucket = new TokenBucket(TokenBucket.interval(10), 3, 0); // 100 ms per token
    for (int i = 0; i < 3; i++) {
      bucket.tryAcquire(0);
    }

    assertThat(bucket.available(250_000_000L)).isEqualTo(2);
    assertThat(bucket.tryAcquire(250_000_000L)).isZero();
    assertThat(bucket.tryAcquire(250_000_000L)).isZero();
    assertThat(bucket.tryAcquire(250_000_000L)).isEqualTo(50_000_000L);

    // Idle for an hour: full again, three tokens, not thousands.
    long later = 3600 * SECOND;
    assertThat(bucket.isFull(later)).isTrue();
    assertThat(bucket.available(later)).isEqualTo(3);
    int granted = 0;
    while (bucket.tryAcquire(later) == 0) {
      granted++;
    }
    assertThat(granted).isEqualTo(3);
  }

  @Test
  void fractionalRatesRefillSlowly() {
    TokenBucket bucket = new TokenBucket(TokenBucket.interval(0.25), 1, 0); // one per 4 s

    assertThat(bucket.tryAcquire(0)).isZero();
    assertThat(bucket.tryAcquire(SECOND)).isEqualTo(3 * SECOND);
    assertThat(RetryAfter.seconds(bucket.tryAcquire(SECOND))).isEqualTo(3);
    assertThat(bucket.tryAcquire(4 * SECOND)).isZero();
  }

  @Test
  void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
    assertThat(RetryAfter.seconds(1)).isEqualTo(1);
    assertThat(RetryAfter.seconds(999_999_999L)).isEqualTo(1);
    assertThat(RetryAfter.seconds(SECOND)).isEqualTo(1);
    assertThat(RetryAfter.seconds(SECOND + 1)).isEqualTo(2);
    assertThat(RetryAfter.seconds(10 * SECOND)).isEqualTo(10);
    assertThat(RetryAfter.seconds(1000 * SECOND + 7)).isEqualTo(1001);
  }

  /**
   * Whatever the arrivals, no span of time sees more admissions than the burst plus what the rate
   * refilled in it; and a refused caller that comes back exactly as late as it was told gets a
   * token, one nanosecond earlier does not.
   */
  @Property(tries = 300)
  void admitsAtMostBurstPlusRateTimesElapsedAndTheWaitIsExact(
      @ForAll @IntRange(min = 1, max = 20) int burst,
      @ForAll @LongRange(min = 1, max = 2_000_000_000L) long interval,
      @ForAll @Size(min = 1, max = 200) List<@LongRange(min = 0, max = 3_000_000_000L) Long> gaps,
      @ForAll boolean comeBack) {
    TokenBucket bucket = new TokenBucket(interval, burst, 0);
    List<Long> admitted = new ArrayList<>();
    long now = 0;
    for (long gap : gaps) {
      now += gap;
      long wait = bucket.tryAcquire(now);
      if (wait > 0) {
        assertThat(wait).isLessThanOrEqualTo(interval);
        if (!comeBack) {
          continue;
        }
        if (wait > 1) {
          assertThat(bucket.tryAcquire(now + wait - 1)).isPositive();
        }
        now += wait;
        assertThat(bucket.tryAcquire(now)).isZero();
      }
      admitted.add(now);
    }
    for (int i = 0; i < admitted.size(); i++) {
      for (int j = i; j < admitted.size(); j++) {
        long elapsed = admitted.get(j) - admitted.get(i);
        assertThat((long) (j - i + 1)).isLessThanOrEqualTo(burst + elapsed / interval);
      }
    }
  }

  @Test
  void threadsTogetherNeverTakeMoreThanBurstPlusRefill() throws InterruptedException {
    int burst = 50;
    long interval = 10_000; // 100,000 tokens/s on the test's clock
    AtomicLong clock = new AtomicLong(1_000);
    long start = clock.get();
    TokenBucket bucket = new TokenBucket(interval, burst, start);
    LongAdder granted = new LongAdder();
    int threads = 4;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      workers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      go.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      return;
                    }
                    for (int i = 0; i < 200_000; i++) {
                      // Time moves on by 0-99 ns with every request, whoever makes it.
                      long now = clock.addAndGet(ThreadLocalRandom.current().nextLong(100));
                      if (bucket.tryAcquire(now) == 0) {
                        granted.increment();
                      }
                    }
                  }));
    }
    go.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    long elapsed = clock.get() - start;

    assertThat(granted.sum()).isLessThanOrEqualTo(burst + elapsed / interval);
    // Demand far exceeds the rate throughout, so nearly every refilled token is taken too.
    assertThat(granted.sum()).isGreaterThan(elapsed / interval / 2);
  }
}
