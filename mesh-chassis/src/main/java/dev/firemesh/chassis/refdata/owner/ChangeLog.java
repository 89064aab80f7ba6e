package dev.firemesh.chassis.refdata.owner;

import dev.firemesh.chassis.refdata.ReferenceFeed;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The SQL of the reference data log ({@code db/migration/chassis/V1__reference_data.sql}): every
 * method runs on the caller's connection, inside the caller's transaction.
 */
final class ChangeLog {
  /** One owner writes at a time: appends and prunes take this transaction-scoped lock. */
  private static final long WRITE_LOCK = 0x66_6d_72_65_66_64_61_74L; // "fmrefdat"

  /** The log's head and how far it is pruned. */
  record Head(long version, Instant committedAt, long prunedThrough) {}

  /** A change as logged: {@code payload} is the record's JSON, null for a delete. */
  record LoggedChange(String set, String key, String op, String payload) {
    static final String UPSERT = "upsert";
    static final String DELETE = "delete";
  }

  /** A version: one command's changes, in their order. */
  record LoggedVersion(
      long version,
      Instant committedAt,
      String commandId,
      String actor,
      String traceId,
      List<LoggedChange> changes) {}

  /**
   * Versions after {@code after} up to {@code through}, whole: at most {@link
   * ReferenceFeed#MAX_CHANGES} changes unless the first version alone has more.
   *
   * @param pendingSince when the first version left out was committed, if any was
   */
  record Page(List<LoggedVersion> versions, long through, Optional<Instant> pendingSince) {}

  private ChangeLog() {}

  /** Takes the write lock and reads the head. */
  static Head lockHead(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
      s.setLong(1, WRITE_LOCK);
      s.execute();
    }
    return head(c);
  }

  static Head head(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("select head, head_committed_at, pruned_through from refdata_log")) {
      rs.next();
      OffsetDateTime at = rs.getObject(2, OffsetDateTime.class);
      return new Head(rs.getLong(1), at == null ? Instant.EPOCH : at.toInstant(), rs.getLong(3));
    }
  }

  static Instant clock(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select clock_timestamp()")) {
      rs.next();
      return rs.getObject(1, OffsetDateTime.class).toInstant();
    }
  }

  /** The version and commit time of an earlier command with this id. */
  static Optional<Applied> earlier(Connection c, String commandId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "select version, committed_at from refdata_commands where command_id = ?")) {
      s.setString(1, commandId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next()
            ? Optional.of(
                new Applied(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), true))
            : Optional.empty();
      }
    }
  }

  /** Appends a version, keeping the current state, the command and the head in step; notifies. */
  static void append(Connection c, LoggedVersion version) throws SQLException {
    OffsetDateTime at = OffsetDateTime.ofInstant(version.committedAt(), ZoneOffset.UTC);
    try (PreparedStatement change =
            c.prepareStatement(
                "insert into refdata_changes (version, seq, committed_at, set_name, record_key,"
                    + " op, payload, command_id, actor, trace_id)"
                    + " values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)");
        PreparedStatement upsert =
            c.prepareStatement(
                "insert into refdata_current (set_name, record_key, payload, version)"
                    + " values (?, ?, ?::jsonb, ?) on conflict (set_name, record_key)"
                    + " do update set payload = excluded.payload, version = excluded.version");
        PreparedStatement delete =
            c.prepareStatement(
                "delete from refdata_current where set_name = ? and record_key = ?")) {
      int seq = 0;
      for (LoggedChange logged : version.changes()) {
        change.setLong(1, version.version());
        change.setInt(2, seq++);
        change.setObject(3, at);
        change.setString(4, logged.set());
        change.setString(5, logged.key());
        change.setString(6, logged.op());
        change.setString(7, logged.payload());
        change.setString(8, version.commandId());
        change.setString(9, version.actor());
        change.setString(10, version.traceId());
        change.addBatch();
        if (logged.payload() != null) {
          upsert.setString(1, logged.set());
          upsert.setString(2, logged.key());
          upsert.setString(3, logged.payload());
          upsert.setLong(4, version.version());
          // Batched apart from deletes, so an upsert then a delete of one key in one command
          // would run out of order: run each statement as it comes instead.
          upsert.executeUpdate();
        } else {
          delete.setString(1, logged.set());
          delete.setString(2, logged.key());
          delete.executeUpdate();
        }
      }
      change.executeBatch();
    }
    try (PreparedStatement command =
            c.prepareStatement(
                "insert into refdata_commands (command_id, version, committed_at) values (?, ?, ?)");
        PreparedStatement head =
            c.prepareStatement("update refdata_log set head = ?, head_committed_at = ?");
        PreparedStatement notify = c.prepareStatement("select pg_notify(?, ?)")) {
      command.setString(1, version.commandId());
      command.setLong(2, version.version());
      command.setObject(3, at);
      command.executeUpdate();
      head.setLong(1, version.version());
      head.setObject(2, at);
      head.executeUpdate();
      notify.setString(1, ReferenceFeed.CHANNEL);
      notify.setString(2, Long.toString(version.version()));
      notify.execute();
    }
  }

  /** The current state: per set, per key, the record's JSON. */
  static Map<String, Map<String, String>> current(Connection c) throws SQLException {
    Map<String, Map<String, String>> sets = new LinkedHashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select set_name, record_key, payload::text from refdata_current"
                    + " order by set_name, record_key")) {
      while (rs.next()) {
        sets.computeIfAbsent(rs.getString(1), name -> new LinkedHashMap<>())
            .put(rs.getString(2), rs.getString(3));
      }
    }
    return sets;
  }

  /**
   * A page of versions after {@code after} up to {@code through}, keeping only the changes in
   * {@code sets} (every set when empty). Run in a repeatable-read transaction with the check
   * against {@link Head#prunedThrough()}, so a prune cannot open a gap between the two.
   */
  static Page page(Connection c, long after, long through, Set<String> sets) throws SQLException {
    int limit = ReferenceFeed.MAX_CHANGES;
    List<Row> rows = rows(c, after, through, sets, limit + 1);
    if (rows.size() <= limit) {
      return new Page(group(rows), through, Optional.empty());
    }
    long first = rows.getFirst().version();
    long last = rows.getLast().version();
    Instant pendingSince = rows.getLast().committedAt();
    if (first == last) { // one command larger than a page: sent whole
      List<Row> whole = rows(c, first - 1, first, sets, Integer.MAX_VALUE);
      List<Row> next = rows(c, first, through, sets, 1);
      return next.isEmpty()
          ? new Page(group(whole), through, Optional.empty())
          : new Page(group(whole), first, Optional.of(next.getFirst().committedAt()));
    }
    List<Row> complete = rows.stream().filter(row -> row.version() < last).toList();
    return new Page(group(complete), complete.getLast().version(), Optional.of(pendingSince));
  }

  /**
   * Drops versions outside the last {@code retention.keepVersions()} or older than {@code
   * retention.keepFor()}.
   *
   * @return the version the log is now pruned through
   */
  static long prune(Connection c, Retention retention) throws SQLException {
    Head head = lockHead(c);
    long byCount = head.version() - retention.keepVersions();
    long byAge;
    try (PreparedStatement s =
        c.prepareStatement(
            "select coalesce(max(version), 0) from refdata_changes"
                + " where committed_at < clock_timestamp() - make_interval(secs => ?)")) {
      s.setDouble(1, retention.keepFor().toMillis() / 1000.0);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        byAge = rs.getLong(1);
      }
    }
    long bound = Math.max(byCount, byAge);
    if (bound <= head.prunedThrough()) {
      return head.prunedThrough();
    }
    for (String sql :
        List.of(
            "delete from refdata_changes where version <= ?",
            "delete from refdata_commands where version <= ?",
            "update refdata_log set pruned_through = ?")) {
      try (PreparedStatement s = c.prepareStatement(sql)) {
        s.setLong(1, bound);
        s.executeUpdate();
      }
    }
    return bound;
  }

  private record Row(
      long version,
      Instant committedAt,
      String commandId,
      String actor,
      String traceId,
      LoggedChange change) {}

  private static List<Row> rows(Connection c, long after, long through, Set<String> sets, int limit)
      throws SQLException {
    String sql =
        "select version, committed_at, set_name, record_key, op, payload::text, command_id,"
            + " actor, trace_id from refdata_changes where version > ? and version <= ?"
            + (sets.isEmpty() ? "" : " and set_name = any (?)")
            + " order by version, seq limit ?";
    List<Row> rows = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(sql)) {
      int i = 1;
      s.setLong(i++, after);
      s.setLong(i++, through);
      if (!sets.isEmpty()) {
        s.setArray(i++, c.createArrayOf("text", sets.toArray()));
      }
      s.setInt(i, limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new Row(
                  rs.getLong(1),
                  rs.getObject(2, OffsetDateTime.class).toInstant(),
                  rs.getString(7),
                  rs.getString(8),
                  rs.getString(9),
                  new LoggedChange(
                      rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6))));
        }
      }
    }
    return rows;
  }

  private static List<LoggedVersion> group(List<Row> rows) {
    List<LoggedVersion> versions = new ArrayList<>();
    List<LoggedChange> changes = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      changes.add(row.change());
      if (i == rows.size() - 1 || rows.get(i + 1).version() != row.version()) {
        versions.add(
            new LoggedVersion(
                row.version(),
                row.committedAt(),
                row.commandId(),
                row.actor(),
                row.traceId(),
                List.copyOf(changes)));
        changes.clear();
      }
    }
    return versions;
  }
}
