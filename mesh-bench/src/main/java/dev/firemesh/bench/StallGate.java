package dev.firemesh.bench;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One connection's responses on their way out past a {@link StallClock}: while the server stalls
 * they are held, then go out in order; nothing overtakes a held response. Owned by the connection's
 * event loop.
 *
 * @param <R> a response ready to write
 */
final class StallGate<R> {
  private final StallClock clock;
  private final EventExecutor executor;
  private final Consumer<R> write;
  private final ArrayDeque<R> held = new ArrayDeque<>();
  private long heldUntil;

  StallGate(StallClock clock, EventExecutor executor, Consumer<R> write) {
    this.clock = clock;
    this.executor = executor;
    this.write = write;
  }

  void pass(R response) {
    long now = System.nanoTime();
    long release = Math.max(clock.releaseAt(now), heldUntil);
    if (release <= now && held.isEmpty()) {
      write.accept(response);
      return;
    }
    heldUntil = release;
    held.add(response);
    executor.schedule(
        () -> {
          R next = held.poll();
          if (next != null) {
            write.accept(next);
          }
        },
        Math.max(0, release - now),
        TimeUnit.NANOSECONDS);
  }

  /**
   * Hands every held response to {@code release}: the connection is gone and they never will be.
   */
  void discard(Consumer<R> release) {
    R next;
    while ((next = held.poll()) != null) {
      release.accept(next);
    }
  }
}
