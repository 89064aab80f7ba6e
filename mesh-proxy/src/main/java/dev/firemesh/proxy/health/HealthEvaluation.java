package dev.firemesh.proxy.health;

import dev.firemesh.traffic.route.Router;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the router's outlier detection evaluation on one event loop: every {@link #PERIOD} (each
 * cluster's own interval is kept by the engine), and at once when a request crosses a
 * consecutive-error threshold, so an ejection does not wait for the next period.
 */
public final class HealthEvaluation implements AutoCloseable {
  /** Finer than any sensible outlier detection interval; a run with nothing due costs little. */
  static final Duration PERIOD = Duration.ofMillis(200);

  private final Router router;
  private final EventLoop loop;
  private final AtomicBoolean queued = new AtomicBoolean();
  private final ScheduledFuture<?> periodic;

  private HealthEvaluation(Router router, EventLoop loop) {
    this.router = router;
    this.loop = loop;
    this.periodic =
        loop.scheduleAtFixedRate(
            router::evaluateHealth, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    router.onHealthDue(this::due);
  }

  public static HealthEvaluation start(Router router, EventLoop loop) {
    return new HealthEvaluation(router, loop);
  }

  /** On a request thread: queue one evaluation unless one is already queued. */
  private void due() {
    if (queued.compareAndSet(false, true)) {
      try {
        loop.execute(
            () -> {
              queued.set(false);
              router.evaluateHealth();
            });
      } catch (RejectedExecutionException e) {
        queued.set(false); // shutting down: nothing left to protect
      }
    }
  }

  @Override
  public void close() {
    router.onHealthDue(() -> {});
    periodic.cancel(false);
  }
}
