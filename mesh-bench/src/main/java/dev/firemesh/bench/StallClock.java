package dev.firemesh.bench;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** The {@link Stall}'s window, fixed by the first request any connection of the server sees. */
final class StallClock {
  private final Optional<Stall> stall;
  private final AtomicLong firstRequestNanos = new AtomicLong(Long.MIN_VALUE);

  StallClock(Optional<Stall> stall) {
    this.stall = stall;
  }

  /** When a response ready at {@code now} may go out: now, or the end of the stall. */
  long releaseAt(long now) {
    if (stall.isEmpty()) {
      return now;
    }
    firstRequestNanos.compareAndSet(Long.MIN_VALUE, now);
    long start = firstRequestNanos.get() + stall.get().after().toNanos();
    long end = start + stall.get().length().toNanos();
    return now >= start && now < end ? end : now;
  }
}
