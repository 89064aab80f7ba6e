package dev.firemesh.examples.trading.plumbing;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/** Logs when a dependency stops or starts answering, not on every failed call. */
public final class Reachability {
  private final String dependency;
  private final Logger log;
  private final AtomicBoolean reachable = new AtomicBoolean(true);

  public Reachability(String dependency, Logger log) {
    this.dependency = dependency;
    this.log = log;
  }

  public void answered() {
    if (reachable.compareAndSet(false, true)) {
      log.info("{} answers again", dependency);
    }
  }

  public void failed(String why) {
    if (reachable.compareAndSet(true, false)) {
      log.warn("{} unavailable: {}", dependency, why);
    }
  }
}
