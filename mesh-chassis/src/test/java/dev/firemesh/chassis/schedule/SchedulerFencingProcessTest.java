package dev.firemesh.chassis.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firemesh.chassis.store.ChassisStore;
import dev.firemesh.store.Database;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An owner in a process of its own is SIGSTOPped in the middle of a firing, past its lease; an
 * instance in the test JVM takes the task over and runs that firing. Resumed, the old owner's
 * fenced write for it is refused, and every firing is done once.
 */
class SchedulerFencingProcessTest {
  @TempDir Path dataDir;

  @Test
  void aPausedOwnerCannotWriteAfterLosingItsLease() throws Exception {
    Queue<String> output = new ConcurrentLinkedQueue<>();
    try (Database database = ChassisStore.embedded(dataDir)) {
      Effects.create(database);
      Process child =
          new ProcessBuilder(
                  ProcessHandle.current().info().command().orElse("java"),
                  "-cp",
                  System.getProperty("java.class.path"),
                  FencedTaskProcess.class.getName(),
                  database.url(),
                  "paused",
                  "2000")
              .redirectErrorStream(true)
              .start();
      Thread.ofVirtual().start(() -> read(child, output));
      try {
        String started =
            await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> firstLine(output, "STARTED "), line -> line != null);
        signal(child, "STOP"); // within the body's 2 s pause, before its fenced write
        String[] parts = started.substring("STARTED ".length()).split(" ");
        Instant firing = Instant.parse(parts[0]);
        long pausedToken = Long.parseLong(parts[1]);

        try (Database pool = ChassisStore.external(database.url());
            Scheduler taker = FencedTaskProcess.scheduler(pool, "taker", Duration.ZERO).start()) {
          await()
              .atMost(Duration.ofSeconds(20))
              .until(
                  () ->
                      Effects.of(database, FencedTaskProcess.TASK).stream()
                          .anyMatch(e -> e.firing().equals(firing)));
          assertThat(taker.owned()).contains(FencedTaskProcess.TASK);

          signal(child, "CONT");
          await()
              .atMost(Duration.ofSeconds(20))
              .until(() -> firstLine(output, "REFUSED " + firing) != null);
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () ->
                      output.stream()
                          .anyMatch(
                              l ->
                                  l.contains("LeaseLostException")
                                      || l.contains(
                                          "lease of task " + FencedTaskProcess.TASK + " lost")));
        }

        List<Effects.Effect> effects = Effects.of(database, FencedTaskProcess.TASK);
        assertThat(effects).isEqualTo(Effects.runs(database, FencedTaskProcess.TASK));
        assertThat(effects)
            .filteredOn(e -> e.firing().equals(firing))
            .singleElement()
            .satisfies(
                e -> {
                  assertThat(e.instance()).isEqualTo("taker");
                  assertThat(e.token()).isGreaterThan(pausedToken);
                });
        assertThat(effects)
            .as("nothing written under the paused owner's token after it lost the lease")
            .noneMatch(e -> e.token() == pausedToken && !e.firing().isBefore(firing));
        assertThat(effects.stream().map(Effects.Effect::firing).distinct().count())
            .isEqualTo(effects.size());
        assertThat(output).noneMatch(l -> l.startsWith("WROTE " + firing));
      } finally {
        child.destroy();
        if (!child.waitFor(10, TimeUnit.SECONDS)) {
          child.destroyForcibly().waitFor();
        }
      }
    }
  }

  private static String firstLine(Queue<String> output, String prefix) {
    return output.stream().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
  }

  private static void signal(Process process, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).as("kill -%s", signal).isZero();
  }

  private static void read(Process child, Queue<String> output) {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        output.add(line);
        System.out.println("[paused owner] " + line); // its story, in the test's log
      }
    } catch (IOException e) {
      output.add("unreadable: " + e);
    }
  }
}
