package dev.firemesh.traffic.circuit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.traffic.config.ClusterConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

  @Test
  void eachLimitRefusesOneMoreAndCountsTheRefusal() {
    CircuitBreaker breaker = new CircuitBreaker(new ClusterConfig.Limits(1, 2, 3, 1));

    assertThat(breaker.tryAcquireConnection()).isTrue();
    assertThat(breaker.tryAcquireConnection()).isFalse();
    assertThat(breaker.tryAcquirePending()).isTrue();
    assertThat(breaker.tryAcquirePending()).isTrue();
    assertThat(breaker.tryAcquirePending()).isFalse();
    for (int i = 0; i < 3; i++) {
      assertThat(breaker.tryAcquireRequest()).isTrue();
    }
    assertThat(breaker.tryAcquireRequest()).isFalse();
    assertThat(breaker.tryAcquireRetry()).isNull();
    assertThat(breaker.tryAcquireRetry()).isEqualTo(Limit.MAX_RETRIES);

    assertThat(breaker.overflows(Limit.MAX_CONNECTIONS)).isEqualTo(1);
    assertThat(breaker.overflows(Limit.MAX_PENDING_REQUESTS)).isEqualTo(1);
    assertThat(breaker.overflows(Limit.MAX_REQUESTS)).isEqualTo(1);
    assertThat(breaker.overflows(Limit.MAX_RETRIES)).isEqualTo(1);

    breaker.releaseRequest();
    assertThat(breaker.tryAcquireRequest()).isTrue();
  }

  @Test
  void aRetryBudgetAllowsAShareOfTheRequestsInFlightButAlwaysTheMinimum() {
    CircuitBreaker breaker =
        new CircuitBreaker(new ClusterConfig.Limits(1024, 1024, 1024, 0, 25.0, 2));
    // Nothing in flight: the minimum concurrency still lets two retries go.
    assertThat(breaker.tryAcquireRetry()).isNull();
    assertThat(breaker.tryAcquireRetry()).isNull();
    assertThat(breaker.tryAcquireRetry()).isEqualTo(Limit.RETRY_BUDGET);
    for (int i = 0; i < 20; i++) {
      breaker.tryAcquireRequest();
    }
    // 25 % of 20 requests in flight: five retries at once.
    for (int i = 0; i < 3; i++) {
      assertThat(breaker.tryAcquireRetry()).isNull();
    }
    assertThat(breaker.tryAcquireRetry()).isEqualTo(Limit.RETRY_BUDGET);
    assertThat(breaker.retries()).isEqualTo(5);
  }

  @Test
  void newLimitsApplyToWhatIsAlreadyInFlight() {
    CircuitBreaker breaker = new CircuitBreaker(new ClusterConfig.Limits(10, 10, 10, 3));
    for (int i = 0; i < 5; i++) {
      breaker.tryAcquireRequest();
    }
    breaker.limits(new ClusterConfig.Limits(10, 10, 4, 3));
    assertThat(breaker.tryAcquireRequest()).isFalse();
    assertThat(breaker.requests()).isEqualTo(5);
  }

  @Test
  void concurrentCallersNeverTakeMoreThanTheLimit() throws Exception {
    CircuitBreaker breaker = new CircuitBreaker(new ClusterConfig.Limits(1024, 1024, 50, 3));
    AtomicInteger admitted = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      go.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    for (int i = 0; i < 1000; i++) {
                      if (breaker.tryAcquireRequest()) {
                        admitted.incrementAndGet();
                      }
                    }
                  }));
    }
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(admitted.get()).isEqualTo(50);
    assertThat(breaker.requests()).isEqualTo(50);
    assertThat(breaker.overflows(Limit.MAX_REQUESTS)).isEqualTo(8000 - 50);
  }
}
