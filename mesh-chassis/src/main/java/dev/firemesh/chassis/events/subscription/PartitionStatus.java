package dev.firemesh.chassis.events.subscription;

import java.time.Instant;
import java.util.Optional;

/**
 * One partition of a subscription, as the store has it.
 *
 * @param owner the instance holding the lease, if one does (its lease may have run out)
 * @param token the fencing token: incremented by every claim and rebuild
 * @param position the global position it has dealt with up to
 * @param lag events in the store past {@code position} (of any partition: the head minus it)
 */
public record PartitionStatus(
    int partition,
    Optional<String> owner,
    long token,
    long position,
    long lag,
    Optional<Instant> leaseUntil) {}
