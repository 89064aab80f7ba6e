package dev.firemesh.bench;

/**
 * The constant-rate timetable shared by all connections: slot {@code g} is due at {@code start + g
 * / rate} seconds, and connection {@code i} of {@code n} owns the slots {@code i, i + n, i +
 * 2n...}. The time of any slot is computed, never stored, so a backlog costs nothing to remember.
 */
public record Schedule(
    long startNanos, int rate, int connections, long warmupSlots, long measuredSlots) {

  public long totalSlots() {
    return warmupSlots + measuredSlots;
  }

  public long intendedNanos(long slot) {
    return startNanos + Math.multiplyExact(slot, 1_000_000_000L) / rate;
  }

  public boolean measured(long slot) {
    return slot >= warmupSlots;
  }

  /** When the measured window opens. */
  public long measureStartNanos() {
    return intendedNanos(warmupSlots);
  }

  /** The last slot's intended time. */
  public long lastSlotNanos() {
    return intendedNanos(totalSlots() - 1);
  }

  /** Measured slots of one connection from {@code fromSlot} (one of its own) onwards. */
  long measuredSlotsFrom(long fromSlot) {
    long first = fromSlot;
    if (first < warmupSlots) {
      long behind = warmupSlots - first;
      first += ((behind + connections - 1) / connections) * connections;
    }
    if (first >= totalSlots()) {
      return 0;
    }
    return (totalSlots() - 1 - first) / connections + 1;
  }
}
