package dev.firemesh.chassis.schedule;

import dev.firemesh.chassis.store.Membership;
import dev.firemesh.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The scheduler's rows ({@code sched_tasks}, {@code sched_runs}; the membership through {@link
 * Membership}): every statement the runtime makes, each in a transaction of its own. Lease times
 * are the database's clock; firing times are the scheduler's.
 */
final class TaskTable {
  /** A task's lease as claimed or renewed, with the firing it is at. */
  record Lease(long token, Optional<Instant> nextFiring, Optional<Instant> lastSuccess) {}

  /**
   * What the task is at, read before running it: the next firing, or a retry of {@code retryOf} due
   * at {@code nextFiring} as attempt {@code attempt}.
   */
  record Due(long token, Optional<Instant> nextFiring, Optional<Instant> retryOf, int attempt) {}

  /**
   * A firing's outcome, to record.
   *
   * @param attempt which attempt at the firing this was, from 1
   * @param next the next firing, or when the retry is due when {@code retry}
   * @param retry whether {@code next} is a retry of this firing
   */
  record Outcome(
      Instant firing,
      int attempt,
      Instant started,
      Instant finished,
      boolean succeeded,
      Optional<String> error,
      Optional<Instant> next,
      boolean retry) {}

  private final Database database;
  private final String instance;
  private final Duration lease;
  private final Membership membership;

  TaskTable(Database database, String instance, Duration lease) {
    this.database = database;
    this.instance = instance;
    this.lease = lease;
    this.membership = new Membership("scheduler", instance, lease);
  }

  /**
   * One transaction on the task rows. The server ends it if it idles longer than a lease (its
   * process paused mid-way), so a paused instance never holds a task's row past its lease.
   */
  private <T> T transaction(String what, Database.Work<T> work) {
    return database.transaction(
        what,
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute("set local idle_in_transaction_session_timeout = " + lease.toMillis());
          }
          return work.run(c);
        });
  }

  String instance() {
    return instance;
  }

  /**
   * Creates the tasks' rows, or updates their kind and spec; a task whose schedule changed starts
   * again from its new first firing.
   */
  void declare(Collection<Task> tasks, Instant now) {
    transaction(
        "declare the scheduled tasks",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  """
                  insert into sched_tasks (task, kind, spec, next_firing) values (?, ?, ?, ?)
                  on conflict (task) do update set kind = excluded.kind, spec = excluded.spec,
                    next_firing = case
                      when sched_tasks.kind = excluded.kind and sched_tasks.spec = excluded.spec
                      then sched_tasks.next_firing else excluded.next_firing end
                  """)) {
            for (Task task : tasks) {
              s.setString(1, task.name());
              s.setString(2, task.kind().label());
              s.setString(3, task.spec());
              at(s, 4, task.schedule().first(now));
              s.addBatch();
            }
            s.executeBatch();
          }
          return null;
        });
  }

  /** Records this instance alive for one more lease; answers how many instances are alive. */
  int heartbeat() {
    return transaction("heartbeat the scheduler's membership", membership::heartbeat);
  }

  void leave() {
    transaction(
        "leave the scheduler's membership",
        c -> {
          membership.leave(c);
          return null;
        });
  }

  /** The tasks among {@code names} whose lease is free or expired. */
  List<String> claimable(Collection<String> names) {
    return transaction(
        "find tasks to claim",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  """
                  select task from sched_tasks where task = any(?)
                    and (owner is null or lease_until < clock_timestamp()) order by task
                  """)) {
            s.setArray(1, c.createArrayOf("text", names.toArray()));
            List<String> tasks = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                tasks.add(rs.getString(1));
              }
            }
            return tasks;
          }
        });
  }

  /**
   * Claims a free or expired lease with the next token. Empty when another instance has it, or when
   * a fenced transaction holds the row (it is skipped, not waited for).
   */
  Optional<Lease> claim(String task) {
    return transaction(
        "claim task " + task,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  """
                  with free as (
                    select task from sched_tasks where task = ?
                      and (owner is null or lease_until < clock_timestamp())
                    for update skip locked)
                  update sched_tasks t set owner = ?, token = t.token + 1,
                    lease_until = clock_timestamp() + ? * interval '1 millisecond'
                  from free where t.task = free.task
                  returning t.token, t.next_firing,
                    case when t.last_outcome = 'succeeded' then t.last_finished end
                  """)) {
            s.setString(1, task);
            s.setString(2, instance);
            s.setLong(3, lease.toMillis());
            return lease(s);
          }
        });
  }

  /** Extends a lease held with {@code token}; empty when it was lost (a newer token). */
  Optional<Lease> renew(String task, long token) {
    return transaction(
        "renew the lease of task " + task,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  """
                  update sched_tasks set lease_until = clock_timestamp() + ? * interval '1 millisecond'
                  where task = ? and token = ? and owner = ?
                  returning token, next_firing, null::timestamptz
                  """)) {
            s.setLong(1, lease.toMillis());
            s.setString(2, task);
            s.setLong(3, token);
            s.setString(4, instance);
            return lease(s);
          }
        });
  }

  private static Optional<Lease> lease(PreparedStatement s) throws SQLException {
    try (ResultSet rs = s.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      return Optional.of(new Lease(rs.getLong(1), instant(rs, 2), instant(rs, 3)));
    }
  }

  /** Gives a lease up; its token stays, so the next claim fences out anything still running. */
  void release(String task, long token) {
    transaction(
        "release task " + task,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "update sched_tasks set owner = null, lease_until = null"
                      + " where task = ? and token = ?")) {
            s.setString(1, task);
            s.setLong(2, token);
            s.executeUpdate();
          }
          return null;
        });
  }

  /** The task's token, next firing and pending retry as stored: what a run plans from. */
  Due read(String task) {
    return transaction(
        "read task " + task,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select token, next_firing, retry_of, attempt from sched_tasks where task = ?")) {
            s.setString(1, task);
            try (ResultSet rs = s.executeQuery()) {
              if (!rs.next()) {
                return new Due(0, Optional.empty(), Optional.empty(), 1);
              }
              return new Due(rs.getLong(1), instant(rs, 2), instant(rs, 3), rs.getInt(4));
            }
          }
        });
  }

  /** Whether a firing succeeded: its fenced write committed, or its body returned. */
  boolean done(String task, Instant firing) {
    return transaction(
        "look up a firing of task " + task,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select 1 from sched_runs where task = ? and firing = ?"
                      + " and outcome = 'succeeded'")) {
            s.setString(1, task);
            at(s, 2, firing);
            try (ResultSet rs = s.executeQuery()) {
              return rs.next();
            }
          }
        });
  }

  /**
   * Runs {@code work} fenced: locks the task's row FOR SHARE, refuses with {@link
   * LeaseLostException} unless it is still at {@code token}, then records the firing done, all in
   * one transaction. An earlier attempt's failure is overwritten; a success never is.
   */
  <T> T fenced(
      String task,
      long token,
      Instant firing,
      int attempt,
      Instant started,
      Instant now,
      FencedWork<T> work) {
    return transaction(
        "record firing " + firing + " of task " + task,
        c -> {
          checkToken(c, task, token);
          T result = work.run(c);
          try (PreparedStatement s =
              c.prepareStatement(
                  """
                  insert into sched_runs
                    (task, firing, token, instance, started_at, finished_at, outcome, attempts)
                  values (?, ?, ?, ?, ?, ?, 'succeeded', ?)
                  on conflict (task, firing) do update set token = excluded.token,
                    instance = excluded.instance, started_at = excluded.started_at,
                    finished_at = excluded.finished_at, outcome = 'succeeded', error = null,
                    attempts = excluded.attempts
                  where sched_runs.outcome = 'failed'
                  """)) {
            s.setString(1, task);
            at(s, 2, firing);
            s.setLong(3, token);
            s.setString(4, instance);
            at(s, 5, started);
            at(s, 6, now);
            s.setInt(7, attempt);
            if (s.executeUpdate() == 0) {
              throw new IllegalStateException(
                  "firing " + firing + " of task " + task + " is already recorded");
            }
          }
          return result;
        });
  }

  private static void checkToken(Connection c, String task, long token) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("select token from sched_tasks where task = ? for share")) {
      s.setString(1, task);
      try (ResultSet rs = s.executeQuery()) {
        long current = rs.next() ? rs.getLong(1) : 0;
        if (current != token) {
          throw new LeaseLostException(task, token, current);
        }
      }
    }
  }

  /**
   * Records a firing's outcome and the task's next firing, under {@code token}; false, writing
   * nothing, when the lease was lost.
   */
  boolean complete(String task, long token, Outcome outcome) {
    return transaction(
        "record firing " + outcome.firing() + " of task " + task,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  """
                  update sched_tasks set last_firing = ?, last_started = ?, last_finished = ?,
                    last_outcome = ?, last_error = ?, runs = runs + 1, next_firing = ?,
                    retry_of = ?, attempt = ?
                  where task = ? and token = ?
                  """)) {
            at(s, 1, outcome.firing());
            at(s, 2, outcome.started());
            at(s, 3, outcome.finished());
            s.setString(4, outcome.succeeded() ? "succeeded" : "failed");
            s.setString(5, outcome.error().orElse(null));
            at(s, 6, outcome.next());
            at(s, 7, outcome.retry() ? Optional.of(outcome.firing()) : Optional.empty());
            s.setInt(8, outcome.retry() ? outcome.attempt() + 1 : 1);
            s.setString(9, task);
            s.setLong(10, token);
            if (s.executeUpdate() == 0) {
              return false;
            }
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  """
                  insert into sched_runs (task, firing, token, instance, started_at,
                    finished_at, outcome, error, attempts)
                  values (?, ?, ?, ?, ?, ?, ?, ?, ?)
                  on conflict (task, firing) do update set token = excluded.token,
                    instance = excluded.instance, started_at = excluded.started_at,
                    finished_at = excluded.finished_at, outcome = excluded.outcome,
                    error = excluded.error, attempts = excluded.attempts
                  where sched_runs.token = excluded.token or sched_runs.outcome = 'failed'
                  """)) {
            s.setString(1, task);
            at(s, 2, outcome.firing());
            s.setLong(3, token);
            s.setString(4, instance);
            at(s, 5, outcome.started());
            at(s, 6, outcome.finished());
            s.setString(7, outcome.succeeded() ? "succeeded" : "failed");
            s.setString(8, outcome.error().orElse(null));
            s.setInt(9, outcome.attempt());
            s.executeUpdate();
          }
          return true;
        });
  }

  /** Moves the task to {@code next} without a run (firings skipped or already done); fenced. */
  boolean advance(String task, long token, Optional<Instant> next) {
    return transaction(
        "move task " + task + " to its next firing",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "update sched_tasks set next_firing = ?, retry_of = null, attempt = 1"
                      + " where task = ? and token = ?")) {
            at(s, 1, next);
            s.setString(2, task);
            s.setLong(3, token);
            return s.executeUpdate() == 1;
          }
        });
  }

  /** Every task in the store, by name. */
  static List<TaskStatus> status(Database database) {
    return database.transaction(
        "list the scheduled tasks",
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs =
                  s.executeQuery(
                      """
                      select task, kind, spec,
                        case when lease_until > clock_timestamp() then owner end,
                        token, lease_until, last_firing, last_started, last_finished,
                        last_outcome, last_error, next_firing, runs, retry_of, attempt
                      from sched_tasks order by task
                      """)) {
            List<TaskStatus> tasks = new ArrayList<>();
            while (rs.next()) {
              tasks.add(
                  new TaskStatus(
                      rs.getString(1),
                      TaskKind.ofLabel(rs.getString(2)),
                      rs.getString(3),
                      Optional.ofNullable(rs.getString(4)),
                      rs.getLong(5),
                      instant(rs, 6),
                      instant(rs, 7),
                      instant(rs, 8),
                      instant(rs, 9),
                      Optional.ofNullable(rs.getString(10)),
                      Optional.ofNullable(rs.getString(11)),
                      instant(rs, 12),
                      rs.getLong(13),
                      instant(rs, 14),
                      rs.getInt(15)));
            }
            return List.copyOf(tasks);
          }
        });
  }

  private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
    return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class))
        .map(OffsetDateTime::toInstant);
  }

  private static void at(PreparedStatement s, int index, Instant instant) throws SQLException {
    s.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  private static void at(PreparedStatement s, int index, Optional<Instant> instant)
      throws SQLException {
    if (instant.isPresent()) {
      at(s, index, instant.get());
    } else {
      s.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    }
  }
}
