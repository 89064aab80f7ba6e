package dev.firemesh.chassis.schedule;

import dev.firemesh.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A task's own side effect for the scheduler tests: a row per fenced write, with no key on the
 * firing, so a firing written twice shows as two rows.
 */
final class Effects {
  /** One fenced write: which firing, under which token, by which instance. */
  record Effect(String task, Instant firing, long token, String instance) {}

  private Effects() {}

  static void create(Database database) {
    database.transaction(
        "create task_effects",
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute(
                """
                create table if not exists task_effects (
                  id bigserial primary key, task text not null, firing timestamptz not null,
                  token bigint not null, instance text not null)
                """);
          }
          return null;
        });
  }

  /** A body writing one effect for each firing, fenced. */
  static TaskBody body(String instance) {
    return context ->
        context.fenced(
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "insert into task_effects (task, firing, token, instance) values (?, ?, ?, ?)")) {
                s.setString(1, context.task());
                s.setObject(2, OffsetDateTime.ofInstant(context.firing(), ZoneOffset.UTC));
                s.setLong(3, context.token());
                s.setString(4, instance);
                return s.executeUpdate();
              }
            });
  }

  static List<Effect> of(Database database, String task) {
    return read(
        database,
        "select task, firing, token, instance from task_effects where task = ? order by firing, id",
        task);
  }

  /** The task's recorded runs, in the same shape. */
  static List<Effect> runs(Database database, String task) {
    return read(
        database,
        "select task, firing, token, instance from sched_runs where task = ? order by firing",
        task);
  }

  private static List<Effect> read(Database database, String sql, String task) {
    return database.transaction(
        "read " + task,
        c -> {
          try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, task);
            List<Effect> effects = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                effects.add(
                    new Effect(
                        rs.getString(1),
                        rs.getObject(2, OffsetDateTime.class).toInstant(),
                        rs.getLong(3),
                        rs.getString(4)));
              }
            }
            return List.copyOf(effects);
          }
        });
  }
}
