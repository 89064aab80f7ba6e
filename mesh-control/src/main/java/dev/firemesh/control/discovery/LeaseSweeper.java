package dev.firemesh.control.discovery;

import dev.firemesh.store.registry.Registry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes instances whose lease lapsed. Deletion notifies every replica, which then pushes the
 * endpoints without them. Replicas may all sweep: the delete is idempotent.
 */
public final class LeaseSweeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaseSweeper.class);

  private final Thread worker;

  public LeaseSweeper(Registry registry, Duration interval) {
    this.worker =
        Thread.ofVirtual()
            .name("lease-sweeper")
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    try {
                      Thread.sleep(interval);
                      int swept = registry.sweepExpired();
                      if (swept > 0) {
                        log.info("lease lapsed: removed {} instance(s)", swept);
                      }
                    } catch (InterruptedException e) {
                      return;
                    } catch (RuntimeException e) {
                      log.warn("lease sweep failed; retrying: {}", e.toString());
                    }
                  }
                });
  }

  @Override
  public void close() {
    worker.interrupt();
  }
}
