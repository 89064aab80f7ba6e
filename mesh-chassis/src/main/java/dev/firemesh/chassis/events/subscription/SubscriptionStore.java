package dev.firemesh.chassis.events.subscription;

import dev.firemesh.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The subscription tables of a chassis store, read and edited without running the subscriptions:
 * what the CLI shows and does with only the store's URL. Retrying a dead letter and rebuilding a
 * projection need the handler, so they are {@link Subscriptions}'s.
 */
public final class SubscriptionStore {
  private SubscriptionStore() {}

  /** Every subscription the store has partitions of, by name. */
  public static List<SubscriptionStatus> status(Database database) {
    return database.transaction("read the subscriptions' status", c -> status(c, Optional.empty()));
  }

  /** The dead letters of {@code subscription}, oldest position first. */
  public static List<DeadLetter> deadLetters(Database database, String subscription) {
    return database.transaction(
        "read the dead letters of subscription " + subscription,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select subscription, event_id, position, stream_id, event_type, attempts,"
                      + " last_error, parked_at from es_dead_letters where subscription = ?"
                      + " order by position")) {
            s.setString(1, subscription);
            List<DeadLetter> letters = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                letters.add(deadLetter(rs));
              }
            }
            return letters;
          }
        });
  }

  /** Forgets a dead letter without handling it; false if there was none. */
  public static boolean drop(Database database, String subscription, UUID eventId) {
    return database.transaction(
        "drop dead letter " + eventId + " of subscription " + subscription,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "delete from es_dead_letters where subscription = ? and event_id = ?")) {
            s.setString(1, subscription);
            s.setObject(2, eventId);
            return s.executeUpdate() == 1;
          }
        });
  }

  static Optional<DeadLetter> deadLetter(Connection c, String subscription, UUID eventId)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "select subscription, event_id, position, stream_id, event_type, attempts, last_error,"
                + " parked_at from es_dead_letters where subscription = ? and event_id = ?"
                + " for update")) {
      s.setString(1, subscription);
      s.setObject(2, eventId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(deadLetter(rs)) : Optional.empty();
      }
    }
  }

  static List<SubscriptionStatus> status(Connection c, Optional<String> only) throws SQLException {
    long head = head(c);
    Map<String, List<PartitionStatus>> partitions = new LinkedHashMap<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "select subscription, partition, owner, token, position, lease_until"
                + " from es_subscription_partitions where subscription = coalesce(?, subscription)"
                + " order by subscription, partition")) {
      s.setString(1, only.orElse(null));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          long position = rs.getLong("position");
          OffsetDateTime leaseUntil = rs.getObject("lease_until", OffsetDateTime.class);
          partitions
              .computeIfAbsent(rs.getString("subscription"), n -> new ArrayList<>())
              .add(
                  new PartitionStatus(
                      rs.getInt("partition"),
                      Optional.ofNullable(rs.getString("owner")),
                      rs.getLong("token"),
                      position,
                      Math.max(0, head - position),
                      Optional.ofNullable(leaseUntil).map(OffsetDateTime::toInstant)));
        }
      }
    }
    Map<String, Long> parked = new LinkedHashMap<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "select subscription, count(*) from es_dead_letters"
                + " where subscription = coalesce(?, subscription) group by subscription")) {
      s.setString(1, only.orElse(null));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          parked.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    List<SubscriptionStatus> all = new ArrayList<>();
    partitions.forEach(
        (name, list) ->
            all.add(new SubscriptionStatus(name, head, list, parked.getOrDefault(name, 0L))));
    return all;
  }

  static long head(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select position from es_head");
        ResultSet rs = s.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static DeadLetter deadLetter(ResultSet rs) throws SQLException {
    return new DeadLetter(
        rs.getString("subscription"),
        rs.getObject("event_id", UUID.class),
        rs.getLong("position"),
        rs.getString("stream_id"),
        rs.getString("event_type"),
        rs.getInt("attempts"),
        rs.getString("last_error"),
        rs.getObject("parked_at", OffsetDateTime.class).toInstant());
  }
}
