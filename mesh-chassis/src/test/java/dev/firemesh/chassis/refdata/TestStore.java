package dev.firemesh.chassis.refdata;

import dev.firemesh.store.Database;
import java.sql.Statement;

/** Empties the chassis's reference data tables between tests sharing one embedded PostgreSQL. */
public final class TestStore {
  private TestStore() {}

  public static void reset(Database database) {
    database.transaction(
        "reset the reference data tables",
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute("truncate refdata_changes, refdata_current, refdata_commands");
            s.execute(
                "update refdata_log set head = 0, head_committed_at = null, pruned_through = 0");
          }
          return null;
        });
  }
}
