package dev.firemesh.store.canary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.store.Database;
import dev.firemesh.store.Leadership;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs survive as written, decisions keep their order, and one replica at a time leads. */
class CanaryRunsTest {
  @TempDir static Path dataDir;
  static Database database;

  @BeforeAll
  static void startServer() {
    database = Database.embedded(dataDir);
  }

  @AfterAll
  static void stopServer() {
    database.close();
  }

  private static final Instant T0 = Instant.parse("2026-01-02T10:00:00Z");

  private static CanaryRun run(String name, RunState state, int step, int weight) {
    return new CanaryRun(name, "{\"spec\":1}", state, step, weight, 0, T0, T0, T0, "why");
  }

  private static CanaryDecision decision(String what, OptionalLong revision) {
    return new CanaryDecision(
        0, T0.plusSeconds(2), 1, 25, what, "because", 120, 3, 500, 1, 12.5, Double.NaN, revision);
  }

  @Test
  void aRunAndItsDecisionsReadBackAsWritten() {
    CanaryRuns runs = new CanaryRuns(database);
    runs.start(run("orders-v2", RunState.PROGRESSING, 0, 5), decision("start", OptionalLong.of(7)));
    runs.update(
        run("orders-v2", RunState.PROGRESSING, 1, 25),
        Optional.of(decision("advance", OptionalLong.of(8))));
    runs.update(run("orders-v2", RunState.PROGRESSING, 1, 25), Optional.empty());

    assertThat(runs.run("orders-v2")).contains(run("orders-v2", RunState.PROGRESSING, 1, 25));
    assertThat(runs.decisions("orders-v2"))
        .extracting(CanaryDecision::seq, CanaryDecision::decision, CanaryDecision::revision)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, "start", OptionalLong.of(7)),
            org.assertj.core.groups.Tuple.tuple(2, "advance", OptionalLong.of(8)));
    CanaryDecision read = runs.decisions("orders-v2").getFirst();
    assertThat(read.canaryP99Millis()).isEqualTo(12.5);
    assertThat(read.stableP99Millis()).isNaN();
    assertThat(read.at()).isEqualTo(T0.plusSeconds(2).truncatedTo(ChronoUnit.MICROS));
  }

  @Test
  void startingAgainForgetsTheEarlierRunAndRemovingForgetsAll() {
    CanaryRuns runs = new CanaryRuns(database);
    runs.start(run("risk-v3", RunState.FAILED, 2, 0), decision("rollback", OptionalLong.empty()));
    runs.start(
        run("risk-v3", RunState.PROGRESSING, 0, 10), decision("start", OptionalLong.empty()));

    assertThat(runs.decisions("risk-v3"))
        .extracting(CanaryDecision::decision)
        .containsExactly("start");
    assertThat(runs.remove("risk-v3")).isTrue();
    assertThat(runs.run("risk-v3")).isEmpty();
    assertThat(runs.decisions("risk-v3")).isEmpty();
  }

  @Test
  void oneLeaderAtATimeAndTheLeadPassesOnWhenItsHolderLetsGo() {
    try (Leadership first = new Leadership(database, "test-task", 42);
        Leadership second = new Leadership(database, "test-task", 42)) {
      assertThat(first.lead()).isTrue();
      assertThat(second.lead()).isFalse();
      assertThat(first.lead()).as("keeps the lead").isTrue();
      first.close();
      assertThat(second.lead()).isTrue();
      assertThat(first.lead()).isFalse();
    }
  }
}
