package dev.firemesh.chassis.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.store.Database;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fair share's count of live instances, per piece of work, in a real PostgreSQL. */
class MembershipTest {
  @TempDir Path dataDir;

  @Test
  void countsTheLiveInstancesOfOneWorkUntilTheyLeaveOrTheirLeaseRunsOut() throws Exception {
    try (Database database = ChassisStore.embedded(dataDir)) {
      Membership a = new Membership("scheduler", "a", Duration.ofMinutes(1));
      Membership b = new Membership("scheduler", "b", Duration.ofMinutes(1));
      Membership otherWork = new Membership("subscription:exposure", "a", Duration.ofMinutes(1));
      Membership brief = new Membership("scheduler", "brief", Duration.ofSeconds(1));

      assertThat(heartbeat(database, a)).isEqualTo(1);
      assertThat(heartbeat(database, b)).isEqualTo(2);
      assertThat(heartbeat(database, otherWork)).as("another work counts apart").isEqualTo(1);
      assertThat(heartbeat(database, brief)).isEqualTo(3);

      Thread.sleep(1_200); // brief's lease, by the database's clock, runs out
      assertThat(heartbeat(database, a)).as("a lapsed member stops counting").isEqualTo(2);

      database.transaction(
          "leave",
          c -> {
            b.leave(c);
            return null;
          });
      assertThat(heartbeat(database, a)).as("one that left counts no more").isEqualTo(1);
      assertThat(heartbeat(database, otherWork)).isEqualTo(1);
    }
  }

  private static int heartbeat(Database database, Membership membership) {
    return database.transaction("heartbeat", membership::heartbeat);
  }
}
