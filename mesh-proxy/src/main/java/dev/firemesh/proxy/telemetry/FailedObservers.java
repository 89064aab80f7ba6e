package dev.firemesh.proxy.telemetry;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an observer's exception goes: logged, at most once a minute, so that a broken observer
 * cannot flood the log from the hot path.
 */
public final class FailedObservers {
  private static final Logger log = LoggerFactory.getLogger(FailedObservers.class);
  private static final long INTERVAL_NANOS = 60_000_000_000L;
  private static final AtomicLong nextLog = new AtomicLong(System.nanoTime());

  private FailedObservers() {}

  public static void log(Object observer, RuntimeException e) {
    long now = System.nanoTime();
    long due = nextLog.get();
    if (now - due >= 0 && nextLog.compareAndSet(due, now + INTERVAL_NANOS)) {
      log.warn("exchange observer {} failed; its record is lost", observer, e);
    }
  }
}
