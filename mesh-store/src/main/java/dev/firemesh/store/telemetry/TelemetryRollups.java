package dev.firemesh.store.telemetry;

import dev.firemesh.store.Database;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code telemetry_edge_rollups} table (migration V8): written by each replica's collector
 * every 10 s, read by whatever studies the past (issue 8, part 2). Daily partitions are made ahead
 * by {@link #maintain} and on demand by {@link #write}, and dropped whole once past the retention.
 * Safe to use from several threads and replicas: partition changes take a transaction-scoped
 * advisory lock, and a replica writes only its own rows.
 */
public final class TelemetryRollups {
  static final String TABLE = "telemetry_edge_rollups";

  /** Days of partitions made ahead of today, so a write never waits for DDL in steady state. */
  static final int DAYS_AHEAD = 2;

  private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
  private static final String COLUMNS =
      "bucket_start, replica, source, destination, requests, errors, bucket_bounds,"
          + " bucket_counts, p50_ms, p99_ms";

  private final Database database;
  private final Duration retention;
  private final Set<LocalDate> partitioned = ConcurrentHashMap.newKeySet();

  /**
   * @param retention how long rows are kept: a day's partition is dropped once the whole day is
   *     older than this
   */
  public TelemetryRollups(Database database, Duration retention) {
    this.database = Objects.requireNonNull(database, "database");
    if (retention.compareTo(Duration.ofDays(1)) < 0) {
      throw new IllegalArgumentException(
          "rollup retention must be at least 1 day (partitions are daily), got " + retention);
    }
    this.retention = retention;
  }

  public Duration retention() {
    return retention;
  }

  /** What {@link #maintain} did. */
  public record Maintenance(List<String> created, List<String> dropped) {
    public Maintenance {
      created = List.copyOf(created);
      dropped = List.copyOf(dropped);
    }
  }

  /**
   * Makes the partitions for today and the next {@value #DAYS_AHEAD} days (UTC), and drops those
   * whose day ended more than the retention before {@code now}.
   */
  public Maintenance maintain(Instant now) {
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    LocalDate oldestKept = LocalDate.ofInstant(now.minus(retention), ZoneOffset.UTC);
    Maintenance done =
        database.transaction(
            "maintain " + TABLE + " partitions",
            c -> {
              lock(c);
              List<String> created = new ArrayList<>();
              for (int d = 0; d <= DAYS_AHEAD; d++) {
                if (create(c, today.plusDays(d))) {
                  created.add(name(today.plusDays(d)));
                }
              }
              List<String> dropped = new ArrayList<>();
              for (LocalDate day : days(c)) {
                if (day.isBefore(oldestKept)) {
                  try (Statement s = c.createStatement()) {
                    s.execute("drop table if exists " + name(day));
                  }
                  dropped.add(name(day));
                }
              }
              return new Maintenance(created, dropped);
            });
    // Only once committed: a cached day whose creation rolled back would never be made again.
    partitioned.clear();
    partitioned.addAll(partitionDays());
    return done;
  }

  /** The days that have a partition, oldest first. */
  public List<LocalDate> partitionDays() {
    return database.transaction("list " + TABLE + " partitions", c -> List.copyOf(days(c)));
  }

  /**
   * Writes rows in one transaction; a row already there (the same bucket, replica and edge) is
   * replaced.
   */
  public void write(List<EdgeRollup> rows) {
    if (rows.isEmpty()) {
      return;
    }
    TreeSet<LocalDate> days = new TreeSet<>();
    rows.forEach(r -> days.add(LocalDate.ofInstant(r.bucketStart(), ZoneOffset.UTC)));
    database.transaction(
        "write " + rows.size() + " telemetry rollups",
        c -> {
          if (!partitioned.containsAll(days)) {
            lock(c);
            for (LocalDate day : days) {
              create(c, day);
            }
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "insert into "
                      + TABLE
                      + " ("
                      + COLUMNS
                      + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                      + " on conflict (bucket_start, replica, source, destination) do update set"
                      + " requests = excluded.requests, errors = excluded.errors,"
                      + " bucket_bounds = excluded.bucket_bounds,"
                      + " bucket_counts = excluded.bucket_counts,"
                      + " p50_ms = excluded.p50_ms, p99_ms = excluded.p99_ms")) {
            for (EdgeRollup r : rows) {
              s.setTimestamp(1, Timestamp.from(r.bucketStart()));
              s.setString(2, r.replica());
              s.setString(3, r.source());
              s.setString(4, r.destination());
              s.setLong(5, r.requests());
              s.setLong(6, r.errors());
              s.setArray(7, c.createArrayOf("float8", boxed(r.bucketBounds())));
              s.setArray(8, c.createArrayOf("int8", boxed(r.bucketCounts())));
              setMillis(s, 9, r.p50Ms());
              setMillis(s, 10, r.p99Ms());
              s.addBatch();
            }
            s.executeBatch();
          }
          return null;
        });
    partitioned.addAll(days); // committed: the days' partitions exist
  }

  /**
   * Every replica's rows with {@code from <= bucket_start < to}, ordered by bucket, source,
   * destination and replica. The mesh's figure for a bucket and edge is the sum over replicas
   * (requests, errors, and the histograms bound by bound).
   */
  public List<EdgeRollup> read(Instant from, Instant to) {
    return database.transaction(
        "read telemetry rollups",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select "
                      + COLUMNS
                      + " from "
                      + TABLE
                      + " where bucket_start >= ? and bucket_start < ?"
                      + " order by bucket_start, source, destination, replica")) {
            s.setTimestamp(1, Timestamp.from(from));
            s.setTimestamp(2, Timestamp.from(to));
            List<EdgeRollup> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                rows.add(
                    new EdgeRollup(
                        rs.getTimestamp(1).toInstant(),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getLong(5),
                        rs.getLong(6),
                        doubles(rs.getArray(7)),
                        longs(rs.getArray(8)),
                        millis(rs, 9),
                        millis(rs, 10)));
              }
            }
            return rows;
          }
        });
  }

  /** One replica at a time changes partitions (two creating the same one would collide). */
  private static void lock(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("select pg_advisory_xact_lock(hashtext('" + TABLE + "'))");
    }
  }

  /** Creates the day's partition if missing; true if it did. */
  private boolean create(Connection c, LocalDate day) throws SQLException {
    boolean existed;
    try (PreparedStatement s = c.prepareStatement("select to_regclass(?) is not null")) {
      s.setString(1, name(day));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        existed = rs.getBoolean(1);
      }
    }
    if (!existed) {
      try (Statement s = c.createStatement()) {
        // Names and bounds come from a LocalDate, never from input.
        s.execute(
            "create table "
                + name(day)
                + " partition of "
                + TABLE
                + " for values from ('"
                + day
                + " 00:00:00+00') to ('"
                + day.plusDays(1)
                + " 00:00:00+00')");
      }
    }
    return !existed;
  }

  private static TreeSet<LocalDate> days(Connection c) throws SQLException {
    TreeSet<LocalDate> days = new TreeSet<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "select child.relname from pg_inherits i"
                + " join pg_class child on child.oid = i.inhrelid"
                + " join pg_class parent on parent.oid = i.inhparent"
                + " where parent.relname = ?")) {
      s.setString(1, TABLE);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String name = rs.getString(1);
          if (name.startsWith(TABLE + "_")) {
            try {
              days.add(LocalDate.parse(name.substring(TABLE.length() + 1), DAY));
            } catch (java.time.format.DateTimeParseException e) {
              // Not one of ours (an operator's own partition): left alone.
            }
          }
        }
      }
    }
    return days;
  }

  static String name(LocalDate day) {
    return TABLE + "_" + DAY.format(day);
  }

  private static void setMillis(PreparedStatement s, int index, double ms) throws SQLException {
    if (Double.isNaN(ms)) {
      s.setNull(index, Types.DOUBLE);
    } else {
      s.setDouble(index, ms);
    }
  }

  private static double millis(ResultSet rs, int index) throws SQLException {
    double ms = rs.getDouble(index);
    return rs.wasNull() ? Double.NaN : ms;
  }

  private static Double[] boxed(double[] values) {
    Double[] boxed = new Double[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return boxed;
  }

  private static Long[] boxed(long[] values) {
    Long[] boxed = new Long[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return boxed;
  }

  private static double[] doubles(Array array) throws SQLException {
    Object[] values = (Object[]) array.getArray();
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = ((Number) values[i]).doubleValue();
    }
    return out;
  }

  private static long[] longs(Array array) throws SQLException {
    Object[] values = (Object[]) array.getArray();
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = ((Number) values[i]).longValue();
    }
    return out;
  }
}
