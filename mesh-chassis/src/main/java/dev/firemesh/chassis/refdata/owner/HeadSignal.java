package dev.firemesh.chassis.refdata.owner;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Wakes the long-polls waiting for a version after the head when one commits (or on close). */
final class HeadSignal {
  private long head;
  private boolean closed;
  private CompletableFuture<Void> next = new CompletableFuture<>();

  HeadSignal(long head) {
    this.head = head;
  }

  synchronized void advance(long version) {
    head = Math.max(head, version);
    CompletableFuture<Void> woken = next;
    next = new CompletableFuture<>();
    woken.complete(null);
  }

  synchronized void close() {
    closed = true;
    next.complete(null);
  }

  /**
   * Waits until the head passes {@code after}, for at most {@code wait}.
   *
   * @return whether it did (false on time-out or close)
   */
  boolean await(long after, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      CompletableFuture<Void> signal;
      synchronized (this) {
        if (head > after) {
          return true;
        }
        if (closed) {
          return false;
        }
        signal = next;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        signal.get(left, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        return false;
      } catch (ExecutionException e) {
        throw new IllegalStateException("the head signal never completes exceptionally", e);
      }
    }
  }
}
