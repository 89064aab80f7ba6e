package dev.firemesh.examples.trading.orders.domain;

import java.util.Map;

/**
 * What the desk has done since it started.
 *
 * @param rejected the count per reason, reasons never seen left out
 */
public record OrderStats(long accepted, Map<RejectReason, Long> rejected) {
  public OrderStats {
    rejected = Map.copyOf(rejected);
  }

  public long rejectedTotal() {
    return rejected.values().stream().mapToLong(Long::longValue).sum();
  }
}
