package dev.firemesh.proxy.mirror;

import java.util.concurrent.atomic.AtomicInteger;

/** How many copies are in flight over the whole sidecar, against {@link MirrorSettings}. */
final class MirrorBudget {
  private final int max;
  private final AtomicInteger inFlight = new AtomicInteger();

  MirrorBudget(int max) {
    this.max = max;
  }

  /** Takes a place for one copy; false (and nothing taken) when all are taken. */
  boolean tryAcquire() {
    while (true) {
      int now = inFlight.get();
      if (now >= max) {
        return false;
      }
      if (inFlight.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  void release() {
    inFlight.decrementAndGet();
  }

  int inFlight() {
    return inFlight.get();
  }
}
