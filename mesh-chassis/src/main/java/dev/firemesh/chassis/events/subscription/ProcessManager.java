package dev.firemesh.chassis.events.subscription;

import dev.firemesh.chassis.events.RecordedEvent;

/**
 * Acts on events outside the store's transaction (sends commands, calls other services): at least
 * once, so an event may come again after a crash or a takeover. Make the effect idempotent, for
 * example with command ids derived from the event id.
 */
@FunctionalInterface
public interface ProcessManager {
  /** Acts on {@code event}; throwing retries it, then parks it. */
  void handle(RecordedEvent event) throws Exception;
}
