package dev.firemesh.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code firemesh control} process of the run's own (embedded PostgreSQL in its data folder),
 * ready once it has written {@code control.json}; the FireMesh commands the harness runs find it
 * through {@code FIREMESH_DATA_DIR}.
 */
record ControlPlane(Path dataDir) {
  private static final Duration WAIT = Duration.ofSeconds(90);

  static ControlPlane start(
      Workspace ws, FireMeshLauncher launcher, String name, List<String> pin) {
    Path data = ws.file(name);
    List<String> command = new ArrayList<>(pin);
    command.addAll(launcher.cli());
    command.addAll(
        List.of("control", "--data-dir", data.toString(), "--admin-port", "0", "--xds-port", "0"));
    ControlPlane controlPlane = new ControlPlane(data);
    Process process = ws.start(name, command, controlPlane.environment());
    awaitFile(ws, name, process, data.resolve("control.json"));
    return controlPlane;
  }

  /** The environment that points {@code firemesh} commands at this control plane. */
  Map<String, String> environment() {
    return Map.of("FIREMESH_DATA_DIR", dataDir.toString());
  }

  /** Runs {@code firemesh apply -f file} against this control plane. */
  void apply(Workspace ws, FireMeshLauncher launcher, String name, Path file) {
    List<String> apply = new ArrayList<>(launcher.cli());
    apply.addAll(List.of("apply", "-f", file.toString()));
    if (ws.run(name, apply, environment(), Duration.ofSeconds(60)) != 0) {
      throw new HarnessException("firemesh apply failed: " + ws.tail(name));
    }
  }

  /**
   * A one-use join token for {@code service} in the environment {@code bench}, made with {@code
   * firemesh token create} and kept in a file only this user can read.
   */
  Path joinToken(Workspace ws, FireMeshLauncher launcher, String name, String service) {
    List<String> create = new ArrayList<>(launcher.cli());
    create.addAll(
        List.of("token", "create", "--service", service, "--env", "bench", "--ttl", "1h"));
    String step = name + "-token";
    if (ws.run(step, create, environment(), Duration.ofSeconds(60)) != 0) {
      throw new HarnessException("firemesh token create failed: " + ws.tail(step));
    }
    try {
      String token =
          Files.readAllLines(ws.file(step + ".log")).stream()
              .map(String::strip)
              .filter(line -> line.startsWith("fmjt_"))
              .findFirst()
              .orElseThrow(() -> new HarnessException("no token printed: " + ws.tail(step)));
      Path file = ws.file(name + ".token");
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, token + "\n");
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for {@code file} to appear, failing early if {@code process} dies. */
  static void awaitFile(Workspace ws, String name, Process process, Path file) {
    Instant deadline = Instant.now().plus(WAIT);
    while (!Files.exists(file)) {
      if (!process.isAlive()) {
        throw new HarnessException(
            name + " exited with " + process.exitValue() + ": " + ws.tail(name));
      }
      if (Instant.now().isAfter(deadline)) {
        throw new HarnessException(name + " not ready after " + WAIT + ": " + ws.tail(name));
      }
      Workspace.pause(Duration.ofMillis(50));
    }
  }
}
