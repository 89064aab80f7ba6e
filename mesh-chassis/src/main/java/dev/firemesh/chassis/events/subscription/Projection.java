package dev.firemesh.chassis.events.subscription;

import dev.firemesh.chassis.events.RecordedEvent;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Keeps a read model in the event store's own database. Each event is handled on the connection of
 * the transaction that also moves the subscription's checkpoint: both commit, or neither does (a
 * partition taken over by another instance mid-batch rolls back), so the read model sees every
 * event exactly once.
 *
 * <p>A handler must not commit, roll back or change the connection's auto-commit. One that throws
 * has its changes for that event undone (a savepoint) and is retried, then the event is parked.
 */
@FunctionalInterface
public interface Projection {
  /** Applies {@code event} to the read model, on {@code tx}. */
  void handle(Connection tx, RecordedEvent event) throws SQLException;

  /**
   * Empties the read model before a rebuild replays every event; in the rebuild's transaction. Does
   * nothing unless overridden.
   */
  default void reset(Connection tx) throws SQLException {}
}
