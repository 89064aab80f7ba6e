package dev.firemesh.chassis.events;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What the store records with every event, to say how a state came to be.
 *
 * @param eventId unique across the store
 * @param commandId the command that decided the event, if a command did
 * @param causationId the command or event id that caused it, if any
 * @param correlationId the id of the first message of the chain it belongs to
 * @param traceId the W3C trace id of the request that appended it; empty when there was none
 * @param actor who asked: the caller's SPIFFE id or an operator's name
 * @param recordedAt when the database recorded it (UTC, microseconds)
 */
public record EventMetadata(
    UUID eventId,
    Optional<String> commandId,
    Optional<String> causationId,
    String correlationId,
    String traceId,
    String actor,
    Instant recordedAt) {

  public EventMetadata {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(commandId, "commandId");
    Objects.requireNonNull(causationId, "causationId");
    Objects.requireNonNull(correlationId, "correlationId");
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(recordedAt, "recordedAt");
  }
}
