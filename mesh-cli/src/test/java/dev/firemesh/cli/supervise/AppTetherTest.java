package dev.firemesh.cli.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The supervised app does not outlive the supervisor's JVM, even when that JVM is killed with
 * SIGKILL and can stop nothing: {@code firemesh run} leaves no orphan behind, whatever happens to
 * the sidecar in it.
 */
class AppTetherTest {

  /** Starts {@code sleep 300} as a supervised app, prints its pid, then waits to be killed. */
  public static final class Supervising {
    public static void main(String[] args) throws Exception {
      AppProcess app = AppProcess.start(List.of("sleep", "300"), Map.of(), Duration.ofSeconds(1));
      System.out.println(app.pid());
      System.out.flush();
      Thread.sleep(Duration.ofMinutes(5));
    }
  }

  @Test
  void theAppStopsWhenTheSupervisorIsKilled() throws Exception {
    Process supervisor =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m",
                "-cp",
                System.getProperty("java.class.path"),
                Supervising.class.getName())
            .redirectErrorStream(true)
            .start();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(supervisor.getInputStream(), StandardCharsets.UTF_8))) {
      long appPid = Long.parseLong(out.readLine().strip());
      ProcessHandle app = ProcessHandle.of(appPid).orElseThrow();
      assertThat(app.isAlive()).isTrue();

      supervisor.destroyForcibly(); // SIGKILL: no code of the supervisor runs
      supervisor.waitFor();

      await().atMost(Duration.ofSeconds(10)).until(() -> !app.isAlive());
    } finally {
      supervisor.destroyForcibly();
    }
  }

  @Test
  void theTetherIsRetiredWhenTheAppEnds() throws Exception {
    AppProcess app =
        AppProcess.start(List.of("sh", "-c", "exit 0"), Map.of(), Duration.ofSeconds(1));
    assertThat(app.exit().get()).isZero();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                ProcessHandle.current()
                    .children()
                    .noneMatch(
                        p ->
                            p.info()
                                .arguments()
                                .map(a -> List.of(a).contains("firemesh-tether"))
                                .orElse(false)));
  }
}
