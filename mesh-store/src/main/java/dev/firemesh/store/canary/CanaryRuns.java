package dev.firemesh.store.canary;

import dev.firemesh.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Canary runs and their decisions, in PostgreSQL. One writer at a time is expected (the replica
 * that leads canary control); readers (the admin API of any replica) see committed state.
 */
public final class CanaryRuns {
  /** Decisions kept per run; the oldest go first. Runs are short, this is a backstop. */
  public static final int DECISIONS_KEPT = 200;

  private static final String RUN_COLUMNS =
      "canary, spec, state, step, weight, waits, started_at, step_started_at, updated_at, reason";
  private static final String DECISION_COLUMNS =
      """
      seq, at, step, weight, decision, reason, canary_requests, canary_errors, stable_requests,
      stable_errors, canary_p99_ms, stable_p99_ms, revision""";

  private final Database database;

  public CanaryRuns(Database database) {
    this.database = Objects.requireNonNull(database, "database");
  }

  /** Every run, by canary name. */
  public List<CanaryRun> runs() {
    return database.transaction(
        "read canary runs",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("select " + RUN_COLUMNS + " from canary_runs order by canary")) {
            return runs(s);
          }
        });
  }

  public Optional<CanaryRun> run(String canary) {
    return database.transaction(
        "read canary run " + canary,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("select " + RUN_COLUMNS + " from canary_runs where canary = ?")) {
            s.setString(1, canary);
            return runs(s).stream().findFirst();
          }
        });
  }

  /** Starts a run afresh (forgetting an earlier one of the same canary) with its first decision. */
  public void start(CanaryRun run, CanaryDecision first) {
    database.transaction(
        "start canary run " + run.canary(),
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("delete from canary_runs where canary = ?")) {
            s.setString(1, run.canary());
            s.executeUpdate();
          }
          upsert(c, run);
          insert(c, run.canary(), first.withSeq(1));
          return null;
        });
  }

  /** Records a run's new state and, if present, the decision that led to it, atomically. */
  public void update(CanaryRun run, Optional<CanaryDecision> decision) {
    database.transaction(
        "update canary run " + run.canary(),
        c -> {
          upsert(c, run);
          if (decision.isPresent()) {
            int seq;
            try (PreparedStatement s =
                c.prepareStatement(
                    "select coalesce(max(seq), 0) + 1 from canary_decisions where canary = ?")) {
              s.setString(1, run.canary());
              try (ResultSet rs = s.executeQuery()) {
                rs.next();
                seq = rs.getInt(1);
              }
            }
            insert(c, run.canary(), decision.get().withSeq(seq));
            try (PreparedStatement s =
                c.prepareStatement("delete from canary_decisions where canary = ? and seq <= ?")) {
              s.setString(1, run.canary());
              s.setInt(2, seq - DECISIONS_KEPT);
              s.executeUpdate();
            }
          }
          return null;
        });
  }

  /** Forgets a run and its decisions (its Canary was deleted). */
  public boolean remove(String canary) {
    return database.transaction(
        "remove canary run " + canary,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("delete from canary_runs where canary = ?")) {
            s.setString(1, canary);
            return s.executeUpdate() > 0;
          }
        });
  }

  /** A run's decisions, oldest first. */
  public List<CanaryDecision> decisions(String canary) {
    return database.transaction(
        "read canary decisions " + canary,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select "
                      + DECISION_COLUMNS
                      + " from canary_decisions where canary = ? order by seq")) {
            s.setString(1, canary);
            List<CanaryDecision> decisions = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                decisions.add(decision(rs));
              }
            }
            return decisions;
          }
        });
  }

  private static void upsert(Connection c, CanaryRun run) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into canary_runs ("
                + RUN_COLUMNS
                + """
                ) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (canary) do update set
                  spec = excluded.spec, state = excluded.state, step = excluded.step,
                  weight = excluded.weight, waits = excluded.waits,
                  started_at = excluded.started_at, step_started_at = excluded.step_started_at,
                  updated_at = excluded.updated_at, reason = excluded.reason""")) {
      s.setString(1, run.canary());
      s.setString(2, run.spec());
      s.setString(3, run.state().name());
      s.setInt(4, run.step());
      s.setInt(5, run.weight());
      s.setInt(6, run.waits());
      s.setTimestamp(7, Timestamp.from(run.startedAt()));
      s.setTimestamp(8, Timestamp.from(run.stepStartedAt()));
      s.setTimestamp(9, Timestamp.from(run.updatedAt()));
      s.setString(10, run.reason());
      s.executeUpdate();
    }
  }

  private static void insert(Connection c, String canary, CanaryDecision d) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into canary_decisions (canary, "
                + DECISION_COLUMNS
                + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, canary);
      s.setInt(2, d.seq());
      s.setTimestamp(3, Timestamp.from(d.at()));
      s.setInt(4, d.step());
      s.setInt(5, d.weight());
      s.setString(6, d.decision());
      s.setString(7, d.reason());
      s.setLong(8, d.canaryRequests());
      s.setLong(9, d.canaryErrors());
      s.setLong(10, d.stableRequests());
      s.setLong(11, d.stableErrors());
      setMillis(s, 12, d.canaryP99Millis());
      setMillis(s, 13, d.stableP99Millis());
      if (d.revision().isPresent()) {
        s.setLong(14, d.revision().getAsLong());
      } else {
        s.setNull(14, Types.BIGINT);
      }
      s.executeUpdate();
    }
  }

  private static void setMillis(PreparedStatement s, int index, double millis) throws SQLException {
    if (Double.isFinite(millis)) {
      s.setDouble(index, millis);
    } else {
      s.setNull(index, Types.DOUBLE);
    }
  }

  private static List<CanaryRun> runs(PreparedStatement s) throws SQLException {
    List<CanaryRun> runs = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        runs.add(
            new CanaryRun(
                rs.getString(1),
                rs.getString(2),
                RunState.valueOf(rs.getString(3)),
                rs.getInt(4),
                rs.getInt(5),
                rs.getInt(6),
                rs.getTimestamp(7).toInstant(),
                rs.getTimestamp(8).toInstant(),
                rs.getTimestamp(9).toInstant(),
                rs.getString(10)));
      }
    }
    return runs;
  }

  private static CanaryDecision decision(ResultSet rs) throws SQLException {
    double canaryP99 = rs.getDouble(11);
    if (rs.wasNull()) {
      canaryP99 = Double.NaN;
    }
    double stableP99 = rs.getDouble(12);
    if (rs.wasNull()) {
      stableP99 = Double.NaN;
    }
    long revision = rs.getLong(13);
    OptionalLong applied = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(revision);
    return new CanaryDecision(
        rs.getInt(1),
        rs.getTimestamp(2).toInstant(),
        rs.getInt(3),
        rs.getInt(4),
        rs.getString(5),
        rs.getString(6),
        rs.getLong(7),
        rs.getLong(8),
        rs.getLong(9),
        rs.getLong(10),
        canaryP99,
        stableP99,
        applied);
  }
}
