package dev.firemesh.chassis.store;

import dev.firemesh.store.ChangeFeed;
import dev.firemesh.store.Database;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background work over the service's store, on a virtual thread: a pass runs, then the loop sleeps
 * until a notification on its channel (or {@link #wake()}) or the period passes. A pass that fails
 * (the store away) is logged once, and once more when passes succeed again.
 */
public final class StoreLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StoreLoop.class);

  /** One pass; it returns when there is nothing more to do for now. */
  @FunctionalInterface
  public interface Pass {
    void run();
  }

  private final String name;
  private final Database database;
  private final Duration period;
  private final Duration stopWait;
  private final Pass pass;
  private final Semaphore wake = new Semaphore(0);
  private final ChangeFeed feed;
  private final Thread thread;
  private volatile boolean closed;

  private StoreLoop(
      String name,
      Database database,
      String channel,
      Duration period,
      Duration stopWait,
      Pass pass) {
    this.name = name;
    this.database = database;
    this.period = period;
    this.stopWait = stopWait;
    this.pass = pass;
    this.feed = ChangeFeed.on(database, Set.of(channel), event -> wake());
    this.thread = Thread.ofVirtual().name(name).unstarted(this::run);
  }

  /**
   * Starts the loop; its first pass runs at once.
   *
   * @param name names the thread and the log lines
   * @param channel the PostgreSQL notification channel that wakes it
   * @param stopWait how long {@link #close()} waits for a pass under way
   * @throws dev.firemesh.store.StoreException if it cannot listen on the channel
   */
  public static StoreLoop start(
      String name,
      Database database,
      String channel,
      Duration period,
      Duration stopWait,
      Pass pass) {
    StoreLoop loop = new StoreLoop(name, database, channel, period, stopWait, pass);
    loop.thread.start();
    return loop;
  }

  /** Runs a pass as soon as the one under way (if any) ends. */
  public void wake() {
    if (wake.availablePermits() == 0) {
      wake.release();
    }
  }

  /** Whether {@link #close()} was called: a pass may stop early. */
  public boolean closed() {
    return closed;
  }

  private void run() {
    boolean failing = false;
    while (!closed) {
      try {
        pass.run();
        if (failing) {
          log.info("{}: {} reachable again", name, database.describe());
          failing = false;
        }
      } catch (RuntimeException e) {
        if (!closed && !failing) {
          log.warn(
              "{}: cannot work in {}: {}; retrying", name, database.describe(), e.getMessage());
          failing = true;
        }
      }
      try {
        wake.tryAcquire(period.toMillis(), TimeUnit.MILLISECONDS);
        wake.drainPermits();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Stops the loop, letting a pass under way finish (not interrupted: that would close its pooled
   * connection's socket under it).
   */
  @Override
  public void close() {
    closed = true;
    feed.close();
    wake.release();
    try {
      if (!thread.join(stopWait)) {
        log.warn("{} did not stop within {}", name, stopWait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
