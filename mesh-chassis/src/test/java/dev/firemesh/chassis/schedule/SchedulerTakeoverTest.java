package dev.firemesh.chassis.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firemesh.chassis.store.ChassisStore;
import dev.firemesh.store.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An owner that dies (stops renewing, releases nothing) is replaced within a lease and a renewal
 * period (6 s + 2 s by default: within the 10 s promised), and the next firing runs on the new
 * owner.
 */
class SchedulerTakeoverTest {
  private static final String TASK = "every-second";

  @TempDir Path dataDir;

  @Test
  void anotherInstanceTakesOverWithinTenSeconds() {
    try (Database database = ChassisStore.embedded(dataDir);
        Database poolA = ChassisStore.external(database.url());
        Database poolB = ChassisStore.external(database.url())) {
      Effects.create(database);
      Scheduler a = scheduler(poolA, "a");
      Scheduler b = scheduler(poolB, "b");
      try {
        await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> Effects.runs(database, TASK).size() >= 2);
        Scheduler owner = a.owned().contains(TASK) ? a : b;
        Scheduler survivor = owner == a ? b : a;
        long token = Scheduler.status(database).getFirst().token();
        String ownerName = owner == a ? "a" : "b";
        String survivorName = owner == a ? "b" : "a";

        owner.halt();
        await().atMost(Duration.ofSeconds(10)).until(() -> survivor.owned().contains(TASK));
        assertThat(Scheduler.status(database).getFirst().token()).isEqualTo(token + 1);
        assertThat(Scheduler.status(database).getFirst().owner()).contains(survivorName);
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> Effects.runs(database, TASK).getLast().instance().equals(survivorName));

        List<Effects.Effect> runs = Effects.runs(database, TASK);
        assertThat(Effects.of(database, TASK)).isEqualTo(runs);
        Map<String, Long> byInstance =
            runs.stream()
                .collect(Collectors.groupingBy(Effects.Effect::instance, Collectors.counting()));
        assertThat(byInstance).containsKeys(ownerName, survivorName);
      } finally {
        a.close();
        b.close();
      }
    }
  }

  private static Scheduler scheduler(Database pool, String instance) {
    return Scheduler.builder(pool, instance)
        .task(Task.fixedRate(TASK, Duration.ofSeconds(1)).run(Effects.body(instance)))
        .build()
        .start();
  }
}
