package dev.firemesh.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica at a time leads a task, by a PostgreSQL session advisory lock held on a connection of
 * its own. The lock lives as long as the session: if the leader dies or loses its connection, the
 * server releases it and another replica's next {@link #lead()} takes it.
 *
 * <p>Not thread-safe: one thread (the task's loop) asks.
 */
public final class Leadership implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Leadership.class);
  private static final int VALIDITY_TIMEOUT_SECONDS = 2;

  private final Database database;
  private final String task;
  private final long key;
  private Connection connection;

  /**
   * @param task what is led, for logs and {@code pg_stat_activity} ({@code canary-controller})
   * @param key the advisory lock's key; one per task, the same in every replica
   */
  public Leadership(Database database, String task, long key) {
    this.database = Objects.requireNonNull(database, "database");
    this.task = Objects.requireNonNull(task, "task");
    this.key = key;
  }

  /**
   * Whether this replica leads now: keeps the lock if it holds it and its session is alive, else
   * tries to take it. Never waits for another replica.
   */
  public boolean lead() {
    try {
      if (connection != null) {
        if (connection.isValid(VALIDITY_TIMEOUT_SECONDS)) {
          return true;
        }
        log.warn("lost the {} lead: its database session ended", task);
        release();
      }
      Connection c = database.connect("firemesh " + task);
      boolean taken;
      try (PreparedStatement s = c.prepareStatement("select pg_try_advisory_lock(?)")) {
        s.setLong(1, key);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          taken = rs.getBoolean(1);
        }
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      if (!taken) {
        c.close();
        return false;
      }
      connection = c;
      log.info("leading {}", task);
      return true;
    } catch (SQLException e) {
      log.warn("cannot take the {} lead: {}", task, Database.rootMessage(e));
      release();
      return false;
    }
  }

  private void release() {
    if (connection == null) {
      return;
    }
    try {
      connection.close(); // ending the session releases the lock
    } catch (SQLException e) {
      log.debug("closing the {} lock's session: {}", task, e.toString());
    }
    connection = null;
  }

  @Override
  public void close() {
    release();
  }
}
