package dev.firemesh.chassis.events.subscription;

import java.time.Instant;
import java.util.UUID;

/**
 * An event a subscription's handler failed on {@code attempts} times, parked so the rest of its
 * partition goes on.
 *
 * @param position the event's global position
 * @param lastError the last failure, as the exception's class and message
 */
public record DeadLetter(
    String subscription,
    UUID eventId,
    long position,
    String streamId,
    String eventType,
    int attempts,
    String lastError,
    Instant parkedAt) {}
