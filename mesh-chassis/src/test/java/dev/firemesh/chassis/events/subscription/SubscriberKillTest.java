package dev.firemesh.chassis.events.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firemesh.chassis.events.EventStore;
import dev.firemesh.chassis.events.subscription.TestEvents.Placed;
import dev.firemesh.chassis.store.ChassisStore;
import dev.firemesh.store.Database;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subscriber killed with SIGKILL in the middle of a batch loses nothing and applies nothing
 * twice: the next one resumes from the durable checkpoint, which moved only with the read model.
 */
class SubscriberKillTest {
  private static final int STREAMS = 20;

  @TempDir Path dataDir;

  @Test
  void aSubscriberKilledMidBatchResumesWithNoEventLostOrAppliedTwice() throws Exception {
    List<Process> children = new ArrayList<>();
    try (Database database = ChassisStore.embedded(dataDir.resolve("pg"));
        EventStore store = EventStore.open(database, TestEvents.TYPES)) {
      TestEvents.createReadModel(
          database, "create table kt_counts (event_id uuid primary key, n int not null)");
      appendRound(store, 0, 40);

      Process first = start(database, "first", children);
      await().atMost(Duration.ofSeconds(60)).until(() -> counted(database)[0] >= 250);
      first.destroyForcibly();
      assertThat(first.waitFor(20, TimeUnit.SECONDS)).isTrue();
      long countedAtKill = counted(database)[0];
      assertThat(countedAtKill).isLessThan(STREAMS * 40L);

      // More events while no subscriber runs, then a new instance, once the dead one's leases
      // have run out.
      appendRound(store, 40, 10);
      start(database, "second", children);
      long total = STREAMS * 50L;
      await().atMost(Duration.ofSeconds(60)).until(() -> counted(database)[0] == total);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> SubscriptionStore.status(database).getFirst().position() == store.head());
      long[] counts = counted(database);
      assertThat(counts[0]).as("events applied").isEqualTo(total);
      assertThat(counts[1]).as("events applied more than once").isZero();
      assertThat(SubscriptionStore.status(database).getFirst().partitions())
          .allSatisfy(p -> assertThat(p.owner()).contains("second"));
    } finally {
      for (Process child : children) {
        child.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
      }
    }
  }

  private static void appendRound(EventStore store, int after, int count) {
    for (int s = 0; s < STREAMS; s++) {
      TestEvents.append(
          store,
          "kt-" + s,
          after,
          LongStream.rangeClosed(after + 1, after + count)
              .mapToObj(i -> new Placed("o", i, false))
              .toArray());
    }
  }

  private Process start(Database database, String instance, List<Process> children)
      throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SubscriberProcess.class.getName(),
                instance)
            .redirectErrorStream(true)
            .redirectOutput(dataDir.resolve(instance + ".log").toFile());
    builder.environment().put("SUBSCRIBER_STORE_URL", database.url());
    Process child = builder.start();
    children.add(child);
    return child;
  }

  /** Events applied, and events applied more than once. */
  private static long[] counted(Database database) {
    return database.transaction(
        "count applied events",
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs =
                  s.executeQuery("select count(*), count(*) filter (where n > 1) from kt_counts")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
          }
        });
  }
}
