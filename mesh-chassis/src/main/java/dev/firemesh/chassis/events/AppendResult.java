package dev.firemesh.chassis.events;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What an append wrote.
 *
 * @param version the stream's version after the append (its last event's)
 * @param eventIds the appended events' ids, in order
 */
public record AppendResult(String streamId, long version, List<UUID> eventIds) {
  public AppendResult {
    Objects.requireNonNull(streamId, "streamId");
    eventIds = List.copyOf(eventIds);
  }
}
