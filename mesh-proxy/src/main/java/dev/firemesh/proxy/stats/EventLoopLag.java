package dev.firemesh.proxy.stats;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How late each event loop runs a task it was asked to run at a given time: a probe scheduled on
 * every loop of a group, again and again, measures the time between when it was due and when it
 * ran. A loop that is busy or blocked runs it late; that lateness is what every request queued on
 * the loop waits too.
 *
 * <p>Each probe is written only by its own loop (single writer) into a ring of the last {@code
 * window} lags, in microseconds; readers copy the rings. A tick allocates nothing but Netty's
 * scheduled-task record. The probe re-arms itself with a fixed delay, so a loop blocked for a
 * second reports one late tick, not a burst of catch-up ticks.
 */
public final class EventLoopLag implements AutoCloseable {

  /** 100 ms between ticks; 600 ticks make a one-minute window. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);

  public static final int DEFAULT_WINDOW = 600;

  private final List<Probe> probes;

  private EventLoopLag(List<Probe> probes) {
    this.probes = probes;
  }

  /** Starts a probe on every event loop of {@code group}; they stop with the group or on close. */
  public static EventLoopLag watch(EventExecutorGroup group, Duration interval, int window) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, got " + interval);
    }
    if (window < 1) {
      throw new IllegalArgumentException("window must hold at least one tick, got " + window);
    }
    List<Probe> probes = new ArrayList<>();
    for (EventExecutor loop : group) {
      Probe probe = new Probe(loop, interval.toNanos(), window);
      probes.add(probe);
      loop.execute(probe::arm);
    }
    return new EventLoopLag(List.copyOf(probes));
  }

  public static EventLoopLag watch(EventExecutorGroup group) {
    return watch(group, DEFAULT_INTERVAL, DEFAULT_WINDOW);
  }

  /** The lag over the window, all loops together. */
  public LagSummary summary() {
    long[] all = new long[probes.size() * (probes.isEmpty() ? 0 : probes.getFirst().ring.length())];
    int n = 0;
    long ticks = 0;
    long sumMicros = 0;
    for (Probe probe : probes) {
      // Read the totals first: a tick landing in between makes them lag the ring, never lead it.
      ticks += probe.ticks;
      sumMicros += probe.sumMicros;
      n += probe.copyWindow(all, n);
    }
    if (n == 0) {
      return new LagSummary(0, 0, 0, ticks, sumMicros);
    }
    Arrays.sort(all, 0, n);
    return new LagSummary(all[n - 1], all[percentileIndex(n, 0.99)], n, ticks, sumMicros);
  }

  private static int percentileIndex(int n, double quantile) {
    return Math.min(n - 1, (int) Math.ceil(quantile * n) - 1);
  }

  @Override
  public void close() {
    for (Probe probe : probes) {
      probe.stop();
    }
  }

  /**
   * Lag of the event loops over the recent window, in microseconds: the largest and the 99th
   * percentile of {@code windowTicks} ticks; and since the start, {@code ticks} and the sum of
   * their lags (a summary's count and sum).
   */
  public record LagSummary(
      long maxMicros, long p99Micros, int windowTicks, long ticks, long sumMicros) {}

  private static final class Probe implements Runnable {
    private final EventExecutor loop;
    private final long intervalNanos;
    private final AtomicLongArray ring;
    private volatile long ticks;
    private volatile long sumMicros;
    private volatile boolean stopped;
    private long dueAt;
    private ScheduledFuture<?> next;

    Probe(EventExecutor loop, long intervalNanos, int window) {
      this.loop = loop;
      this.intervalNanos = intervalNanos;
      this.ring = new AtomicLongArray(window);
    }

    void arm() {
      if (stopped || loop.isShuttingDown()) {
        return;
      }
      dueAt = System.nanoTime() + intervalNanos;
      next = loop.schedule(this, intervalNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void run() {
      long lagMicros = Math.max(0, System.nanoTime() - dueAt) / 1_000;
      long tick = ticks;
      ring.lazySet((int) (tick % ring.length()), lagMicros);
      sumMicros += lagMicros; // single writer: this loop
      ticks = tick + 1;
      arm();
    }

    /** Copies the filled part of the ring into {@code into} at {@code at}; returns how many. */
    int copyWindow(long[] into, int at) {
      int filled = (int) Math.min(ticks, ring.length());
      for (int i = 0; i < filled; i++) {
        into[at + i] = ring.get(i);
      }
      return filled;
    }

    void stop() {
      stopped = true;
      try {
        loop.execute(
            () -> {
              if (next != null) {
                next.cancel(false);
              }
            });
      } catch (RejectedExecutionException e) {
        // The loop has stopped, and its scheduled ticks with it: nothing is left to cancel.
      }
    }
  }
}
