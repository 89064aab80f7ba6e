package dev.firemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tethered child does not outlive its parent, even when the parent is killed with SIGKILL and has
 * no chance to stop it: the demo's guarantee that Ctrl-C or a crash leaves no process behind.
 */
class TetherTest {

  /** Sleeps until stopped; its shutdown hook shows that a tethered child stops cleanly. */
  public static final class Sleeper {
    public static void main(String[] args) throws InterruptedException {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("sleeper stopped")));
      Thread.sleep(Duration.ofMinutes(5));
    }
  }

  /** Starts a tethered {@link Sleeper}, prints its PID, then waits to be killed. */
  public static final class Parent {
    public static void main(String[] args) throws Exception {
      ChildProcess child =
          ChildProcess.start(
              "sleeper", List.of("-Xmx32m"), Sleeper.class.getName(), List.of(), Path.of(args[0]));
      System.out.println(child.pid());
      System.out.flush();
      Thread.sleep(Duration.ofMinutes(5));
    }
  }

  @Test
  void theChildStopsWhenItsParentIsKilled(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("sleeper.log");
    Process parent =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m",
                "-cp",
                System.getProperty("java.class.path"),
                Parent.class.getName(),
                log.toString())
            .redirectErrorStream(true)
            .start();
    long childPid;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
      childPid = Long.parseLong(out.readLine().strip());
      ProcessHandle child = ProcessHandle.of(childPid).orElseThrow();
      assertThat(child.isAlive()).isTrue();

      parent.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook of the parent runs

      await().atMost(Duration.ofSeconds(20)).until(() -> !child.isAlive());
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> java.nio.file.Files.readString(log).contains("sleeper stopped"));
    } finally {
      parent.destroyForcibly();
    }
  }
}
