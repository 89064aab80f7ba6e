package dev.firemesh.cli.supervise;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The app as a child process: its standard streams are the supervisor's own (it owns its terminal
 * as if started directly), and a tether stops it should the supervisor's JVM die without stopping
 * it, however it dies (SIGKILL, a crash, an out-of-memory exit).
 *
 * <p>The tether is a small {@code sh} beside the app whose standard input is a pipe from this JVM
 * (as {@link dev.firemesh.cli.Tether} is for the demo's Java children): when the JVM dies the
 * kernel closes the pipe, {@code read} returns, and the shell sends the app SIGTERM, then SIGKILL
 * after the grace period. The app's own standard input cannot be the pipe, since it belongs to the
 * app; and no polling, no Linux-only {@code PR_SET_PDEATHSIG} (which fires when the spawning
 * <em>thread</em> ends, not the process). The tether is retired (SIGKILL) as soon as the app ends.
 */
final class AppProcess {
  /**
   * $1 the app's pid, $2 the grace in seconds. Ignores SIGINT and SIGHUP: a Ctrl-C or a closed
   * terminal reaches the supervisor, whose death is what the tether waits for.
   */
  private static final String TETHER_SCRIPT =
      "trap '' INT HUP; read -r _; kill -TERM \"$1\" 2>/dev/null || exit 0; i=0;"
          + " while [ \"$i\" -lt \"$2\" ] && kill -0 \"$1\" 2>/dev/null; do sleep 1; i=$((i+1));"
          + " done; kill -KILL \"$1\" 2>/dev/null; exit 0";

  private final Process process;
  private final Process tether;
  private final CompletableFuture<Integer> exit;

  private AppProcess(Process process, Process tether) {
    this.process = process;
    this.tether = tether;
    this.exit =
        process
            .onExit()
            .thenApply(
                p -> {
                  tether.destroyForcibly();
                  return p.exitValue();
                });
  }

  /**
   * Starts {@code command} with {@code environment} added to this process's own.
   *
   * @param grace how long the tether waits between SIGTERM and SIGKILL
   * @throws IOException if the command cannot be started (not found, not executable)
   */
  static AppProcess start(List<String> command, Map<String, String> environment, Duration grace)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().putAll(environment);
    Process process = builder.start();
    Process tether;
    try {
      tether =
          new ProcessBuilder(
                  "sh",
                  "-c",
                  TETHER_SCRIPT,
                  "firemesh-tether",
                  Long.toString(process.pid()),
                  Long.toString(Math.max(1, (grace.toMillis() + 999) / 1000)))
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start(); // its standard input stays a pipe from here: the tether
    } catch (IOException e) {
      process.destroyForcibly();
      throw new IOException("cannot start the app's tether (sh): " + e.getMessage(), e);
    }
    return new AppProcess(process, tether);
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Completes with the exit code when the app ends; 128 + N when signal N ended it. */
  CompletableFuture<Integer> exit() {
    return exit;
  }

  /**
   * SIGTERM, then after {@code grace} SIGKILL to the app and every process it started; returns its
   * exit code once it has ended.
   */
  int stop(Duration grace) throws InterruptedException {
    process.toHandle().destroy();
    if (!process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS)) {
      // Its children first: once the app is gone they are reparented and no longer found.
      List<ProcessHandle> descendants = process.descendants().toList();
      process.destroyForcibly();
      descendants.forEach(ProcessHandle::destroyForcibly);
      process.waitFor();
    }
    return exit.join();
  }
}
