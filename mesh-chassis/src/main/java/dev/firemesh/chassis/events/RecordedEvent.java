package dev.firemesh.chassis.events;

import java.util.Objects;

/**
 * An event as read from the store, its payload upcast to the current schema and bound to the
 * current record class.
 *
 * @param category the stream id up to its first {@code -}
 * @param streamVersion its place in its stream: 1, 2, 3...
 * @param position its place in the store's global order: 1, 2, 3...; 0 when read from a stream
 *     before the sequencer numbered it
 * @param type the event type's name ({@link EventTypes#name})
 * @param storedSchemaVersion the schema version it was written with (before upcasting)
 * @param payload the event, an instance of the class {@code type} names
 */
public record RecordedEvent(
    String streamId,
    String category,
    long streamVersion,
    long position,
    String type,
    int storedSchemaVersion,
    Object payload,
    EventMetadata metadata) {

  public RecordedEvent {
    Objects.requireNonNull(streamId, "streamId");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(metadata, "metadata");
  }

  /**
   * The payload as a {@code T}.
   *
   * @throws ClassCastException naming the event's type and the class asked for, if it is not one
   */
  public <T> T payload(Class<T> as) {
    if (!as.isInstance(payload)) {
      throw new ClassCastException(
          "event "
              + metadata.eventId()
              + " of "
              + streamId
              + " is a "
              + type
              + " ("
              + payload.getClass().getName()
              + "), not a "
              + as.getName());
    }
    return as.cast(payload);
  }

  /** Whether it was numbered in the global order. */
  public boolean sequenced() {
    return position > 0;
  }
}
