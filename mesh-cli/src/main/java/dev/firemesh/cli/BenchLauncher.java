package dev.firemesh.cli;

import dev.firemesh.bench.harness.FireMeshLauncher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@code firemesh bench} starts FireMesh: this JVM's class path, and for sidecars the JVM
 * {@code firemesh proxy} gets from the launcher ({@link SidecarJvm}), so the harness measures the
 * sidecar users run, not a default JVM.
 */
final class BenchLauncher {
  private BenchLauncher() {}

  static FireMeshLauncher current() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath = System.getProperty("java.class.path");
    List<String> cli =
        List.of(
            java, "--enable-native-access=ALL-UNNAMED", "-cp", classPath, FireMesh.class.getName());
    List<String> proxy = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
    proxy.addAll(SidecarJvm.options());
    proxy.addAll(List.of("-cp", classPath, FireMesh.class.getName()));
    return new FireMeshLauncher(cli, proxy, SidecarJvm.environment());
  }
}
