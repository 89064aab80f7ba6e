package dev.firemesh.traffic.ratelimit;

import java.util.concurrent.atomic.LongAdder;

/**
 * Requests a rule admitted and refused since the start. Kept by rule name across configuration
 * updates, so that the counts only grow, as counters must.
 */
public final class RuleCounters {
  private final LongAdder allowed = new LongAdder();
  private final LongAdder limited = new LongAdder();

  void count(boolean admitted) {
    (admitted ? allowed : limited).increment();
  }

  public long allowed() {
    return allowed.sum();
  }

  public long limited() {
    return limited.sum();
  }
}
