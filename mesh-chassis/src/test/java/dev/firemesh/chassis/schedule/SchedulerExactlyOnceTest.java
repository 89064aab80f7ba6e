package dev.firemesh.chassis.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.chassis.store.ChassisStore;
import dev.firemesh.store.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three instances, each with its own pool on one store, share a task firing every 500 ms; its owner
 * leaves half-way. Every firing runs, once, by one instance.
 */
class SchedulerExactlyOnceTest {
  private static final String TASK = "every-half-second";

  @TempDir Path dataDir;

  @Test
  void everyFiringRunsExactlyOnceAcrossThreeInstances() throws InterruptedException {
    try (Database database = ChassisStore.embedded(dataDir)) {
      Effects.create(database);
      List<Database> pools = new ArrayList<>();
      List<Scheduler> schedulers = new ArrayList<>();
      try {
        for (String instance : List.of("a", "b", "c")) {
          Database pool = ChassisStore.external(database.url());
          pools.add(pool);
          schedulers.add(
              Scheduler.builder(pool, instance)
                  .task(Task.fixedRate(TASK, Duration.ofMillis(500)).run(Effects.body(instance)))
                  .build()
                  .start());
        }
        Thread.sleep(4_000);
        Scheduler owner =
            schedulers.stream().filter(s -> s.owned().contains(TASK)).findFirst().orElseThrow();
        owner.close();
        Thread.sleep(4_000);
      } finally {
        schedulers.forEach(Scheduler::close);
        pools.forEach(Database::close);
      }

      List<Effects.Effect> runs = Effects.runs(database, TASK);
      List<Effects.Effect> effects = Effects.of(database, TASK);
      assertThat(effects).as("one effect per firing, matching its run").isEqualTo(runs);
      assertThat(runs).hasSizeGreaterThanOrEqualTo(10);
      Instant first = runs.getFirst().firing();
      for (int k = 0; k < runs.size(); k++) {
        assertThat(runs.get(k).firing())
            .as("firing %d: every firing ran, none skipped", k)
            .isEqualTo(first.plusMillis(500L * k));
      }
      Set<String> instances =
          runs.stream().map(Effects.Effect::instance).collect(Collectors.toSet());
      assertThat(instances).as("the task moved when its owner left").hasSizeGreaterThanOrEqualTo(2);
      assertThat(runs.getLast().token()).isGreaterThan(runs.getFirst().token());
      assertThat(Scheduler.status(database))
          .singleElement()
          .satisfies(s -> assertThat(s.runs()).isEqualTo(runs.size()));
    }
  }
}
