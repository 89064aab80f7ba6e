package dev.firemesh.store;

/** What a {@link ChangeFeed} reports. */
public sealed interface StoreEvent {

  /** Revision {@code revision} of the resources was committed. */
  record ResourcesChanged(long revision) implements StoreEvent {}

  /** The instances of {@code service} changed (registered, deregistered or expired). */
  record InstancesChanged(String service) implements StoreEvent {}

  /** A notification on a channel the listener named itself, with its payload (may be empty). */
  record Notified(String channel, String payload) implements StoreEvent {}

  /**
   * The feed lost its connection and is listening again; notifications sent in between are lost, so
   * reload everything.
   */
  record Resync() implements StoreEvent {}
}
