package dev.firemesh.chassis.events;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns an event's JSON of one schema version into the next version's: registered with {@link
 * EventTypes.Builder#upcaster} for the version it reads. It may change and return its argument.
 */
@FunctionalInterface
public interface Upcaster {
  ObjectNode upcast(ObjectNode json);
}
