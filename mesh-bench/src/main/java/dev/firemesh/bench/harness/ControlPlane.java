package dev.firemesh.bench.harness;

import java.nio.file.Files;
import java.nio.file.Path;
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
