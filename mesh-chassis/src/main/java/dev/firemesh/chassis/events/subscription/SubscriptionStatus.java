package dev.firemesh.chassis.events.subscription;

import java.util.List;

/**
 * A subscription as the store has it, for the CLI and metrics.
 *
 * @param head the store's last global position
 * @param deadLetters events parked
 */
public record SubscriptionStatus(
    String name, long head, List<PartitionStatus> partitions, long deadLetters) {
  public SubscriptionStatus {
    partitions = List.copyOf(partitions);
  }

  /** The position every partition has passed: all events up to it are dealt with. */
  public long position() {
    return partitions.stream().mapToLong(PartitionStatus::position).min().orElse(0);
  }

  /** The head minus {@link #position()}. */
  public long lag() {
    return Math.max(0, head - position());
  }
}
