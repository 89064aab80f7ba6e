package dev.firemesh.bench;

/**
 * One connection of a {@link ScheduledExchange}, in the protocol it speaks: the schedule asks it
 * whether a request may go out, has it write one under a key, and hears back (through the
 * exchange's callbacks) of each answer and of the connection's end. Called on the channel's event
 * loop only.
 */
sealed interface Wire permits Http1Wire, H2Wire {

  /** Whether a request may be written now: the connection is up and not winding down. */
  boolean canSend();

  /** Whether the connection takes no more requests (asked to close); it is closed once idle. */
  boolean draining();

  /** The key the next request will be answered under, or -1 when the connection has none left. */
  long reserve();

  /** Writes the request for a key just reserved, without flushing. */
  void write(long key);

  void flush();

  void close();
}
