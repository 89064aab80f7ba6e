package dev.firemesh.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the demo started, tethered to this one ({@link Tether}): its output goes to a log file, its
 * standard input is a pipe kept open for as long as this process lives.
 */
final class ChildProcess {
  private final String name;
  private final Process process;
  private final Path log;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code mainClass} in a new JVM on this JVM's class path.
   *
   * @param jvmOptions heap and compiler settings
   */
  static ChildProcess start(
      String name, List<String> jvmOptions, String mainClass, List<String> args, Path log)
      throws IOException {
    return start(name, jvmOptions, mainClass, args, log, Map.of());
  }

  /**
   * As {@link #start(String, List, String, List, Path)}, with {@code environment} added to this
   * process's own (a chassis service takes its settings from {@code FIREMESH_*} variables).
   */
  static ChildProcess start(
      String name,
      List<String> jvmOptions,
      String mainClass,
      List<String> args,
      Path log,
      Map<String, String> environment)
      throws IOException {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            Tether.class.getName(),
            mainClass));
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    builder.environment().putAll(SidecarJvm.environment());
    builder.environment().putAll(environment);
    Process process = builder.start();
    // Standard input stays a pipe from here: the tether.
    return new ChildProcess(name, process, log);
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  boolean alive() {
    return process.isAlive();
  }

  int exitValue() {
    return process.exitValue();
  }

  /** The last {@code lines} lines of its log, for an error message. */
  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stops every one of {@code children}: SIGTERM to all at once (each runs its shutdown hooks: a
   * sidecar deregisters, then stops serving), then SIGKILL to any still running after {@code
   * grace}. Returns once every one has exited.
   */
  static void stopAll(Collection<ChildProcess> children, Duration grace) {
    // SIGTERM through the handle: Process.destroy() would also close the tether pipe.
    children.forEach(c -> c.process.toHandle().destroy());
    long deadline = System.nanoTime() + grace.toNanos();
    for (ChildProcess child : children) {
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        if (!child.process.waitFor(left, TimeUnit.NANOSECONDS)) {
          child.process.destroyForcibly();
          child.process.waitFor();
        }
      } catch (InterruptedException e) {
        child.process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    // Closing the pipes last: a child still in its shutdown hooks must not see EOF as a new stop.
    for (ChildProcess child : children) {
      try {
        child.process.getOutputStream().close();
      } catch (IOException e) {
        // the child is gone; so is the pipe's other end
      }
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + pid() + ")";
  }
}
