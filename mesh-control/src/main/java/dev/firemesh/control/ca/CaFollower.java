package dev.firemesh.control.ca;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a replica's CA in step with the store: every {@link #INTERVAL} it reads the CA's version
 * (one indexed single-row read) and reloads when a rotation step, on any replica, has moved it. A
 * poll rather than LISTEN/NOTIFY: rotation steps are rare and a couple of seconds late is early
 * enough (activate waits minutes for the bundle anyway), and a poll needs no held connection. While
 * the store cannot be read, the CA goes on signing with what it has (fail static).
 */
public final class CaFollower implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CaFollower.class);
  public static final Duration INTERVAL = Duration.ofSeconds(2);

  private final ScheduledExecutorService timer;

  private CaFollower(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  public static CaFollower start(CertificateAuthority ca) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("ca-follower").factory());
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            ca.reload();
          } catch (RuntimeException e) {
            log.warn(
                "cannot read the CA's state from the store: {}; signing on with intermediate {}",
                e.getMessage(),
                ca.issuerFingerprint());
          }
        },
        INTERVAL.toMillis(),
        INTERVAL.toMillis(),
        TimeUnit.MILLISECONDS);
    return new CaFollower(timer);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
