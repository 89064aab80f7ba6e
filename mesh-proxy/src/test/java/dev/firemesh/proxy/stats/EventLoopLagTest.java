package dev.firemesh.proxy.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventLoopLagTest {
  private final EventLoopGroup group = new DefaultEventLoopGroup(2);

  @AfterEach
  void stop() {
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void aBlockedLoopShowsInTheMaximumAndTheTopPercentile() {
    try (EventLoopLag lag = EventLoopLag.watch(group, Duration.ofMillis(10), 1000)) {
      await().until(() -> lag.summary().windowTicks() >= 4);

      group.next().execute(() -> sleep(300)); // what a blocking call on an event loop does

      // A tick falls due at most 10 ms into the block, and runs when it ends: >= 290 ms late.
      await().atMost(Duration.ofSeconds(10)).until(() -> lag.summary().maxMicros() >= 290_000);
      EventLoopLag.LagSummary summary = lag.summary();
      assertThat(summary.sumMicros()).isGreaterThanOrEqualTo(290_000);
      assertThat(summary.ticks()).isGreaterThanOrEqualTo(summary.windowTicks());
      assertThat(summary.p99Micros()).isBetween(0L, summary.maxMicros());
    }
  }

  @Test
  void theWindowForgetsOldTicks() {
    // A window of 5 ticks at 10 ms: the block is out of the window 50 ms of ticks later.
    try (EventLoopLag lag = EventLoopLag.watch(group, Duration.ofMillis(10), 5)) {
      group.next().execute(() -> sleep(300));
      await().atMost(Duration.ofSeconds(10)).until(() -> lag.summary().maxMicros() >= 290_000);
      long ticksAtBlock = lag.summary().ticks();

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> lag.summary().ticks() > ticksAtBlock + 2 * 5 * 2);

      assertThat(lag.summary().maxMicros()).isLessThan(290_000);
      assertThat(lag.summary().windowTicks()).isEqualTo(2 * 5);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
