package dev.firemesh.chassis.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The instances sharing one piece of work (the scheduler's tasks, a subscription's partitions), so
 * that each claims no more than its fair share: every instance heartbeats a row in {@code
 * chassis_members} that keeps it counted for one lease, by the database's clock. An instance that
 * stops leaves at once; one that dies stops counting when its lease runs out, and its row is
 * forgotten an hour later.
 */
public final class Membership {
  private final String work;
  private final String instance;
  private final Duration lease;

  /**
   * @param work what is shared, such as {@code scheduler} or {@code subscription:<name>}
   * @param instance this instance's id
   * @param lease how long one heartbeat keeps the instance counted
   */
  public Membership(String work, String instance, Duration lease) {
    this.work = work;
    this.instance = instance;
    this.lease = lease;
  }

  /** Keeps this instance counted for one more lease; answers how many are, itself included. */
  public int heartbeat(Connection c) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            """
            insert into chassis_members (work, instance, alive_until)
            values (?, ?, clock_timestamp() + ? * interval '1 millisecond')
            on conflict (work, instance) do update set alive_until = excluded.alive_until
            """)) {
      s.setString(1, work);
      s.setString(2, instance);
      s.setLong(3, lease.toMillis());
      s.executeUpdate();
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "delete from chassis_members where work = ?"
                + " and alive_until < clock_timestamp() - interval '1 hour'")) {
      s.setString(1, work);
      s.executeUpdate();
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "select count(*) from chassis_members where work = ? and alive_until > clock_timestamp()")) {
      s.setString(1, work);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return Math.max(1, rs.getInt(1));
      }
    }
  }

  /** Stops counting this instance, so the others take its share at their next heartbeat. */
  public void leave(Connection c) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("delete from chassis_members where work = ? and instance = ?")) {
      s.setString(1, work);
      s.setString(2, instance);
      s.executeUpdate();
    }
  }
}
