package dev.firemesh.bench.harness;

import java.util.List;
import java.util.Map;

/**
 * How to start FireMesh processes: the harness depends on no FireMesh module, so whoever runs it
 * (the {@code firemesh bench} command, a test) says how.
 *
 * @param cli the command that runs {@code firemesh} (java, options, class path, main class); the
 *     harness appends {@code control ...} or {@code apply ...}
 * @param proxy the same for {@code firemesh proxy}, in the sidecar's JVM (the launcher's small heap
 *     and AOT cache), so the figures are those of the sidecar users run
 * @param proxyEnvironment environment for sidecar processes (e.g. {@code MALLOC_ARENA_MAX})
 */
public record FireMeshLauncher(
    List<String> cli, List<String> proxy, Map<String, String> proxyEnvironment) {

  public FireMeshLauncher {
    cli = List.copyOf(cli);
    proxy = List.copyOf(proxy);
    proxyEnvironment = Map.copyOf(proxyEnvironment);
  }
}
