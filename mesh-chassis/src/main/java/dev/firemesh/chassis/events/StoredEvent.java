package dev.firemesh.chassis.events;

import java.util.Objects;

/**
 * An event as the store holds it: its payload the JSON it was written with, neither upcast nor
 * bound to a class, so a tool without the service's event types can show it.
 *
 * @param position its place in the global order; 0 until the sequencer numbers it
 * @param type the event type's name
 * @param schemaVersion the schema version the payload was written with
 * @param payload the payload's JSON, as stored
 */
public record StoredEvent(
    String streamId,
    long streamVersion,
    long position,
    String type,
    int schemaVersion,
    String payload,
    EventMetadata metadata) {

  public StoredEvent {
    Objects.requireNonNull(streamId, "streamId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(metadata, "metadata");
  }
}
