package dev.firemesh.bench.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One way for the generator's requests to reach the echo upstream. Each scenario sends the same
 * requests to the same upstream; only what stands between them differs: nothing, or a pair of
 * proxies configured as sidecars (one beside the caller, one beside the callee), in plaintext or
 * with mutual TLS on the hop between them.
 */
sealed interface Scenario permits DirectPath, FireMeshPair, HaproxyPair, NginxPair {

  /** A short stable name: {@code direct}, {@code firemesh}, {@code haproxy-mtls}, ... */
  String name();

  /** Why this scenario cannot run on this machine or build, if it cannot. */
  Optional<String> unavailable(ScenarioContext context);

  /** Starts what the scenario needs and waits until requests flow end to end. */
  RunningPath start(ScenarioContext context);

  /** Every scenario, in report order. */
  static List<Scenario> all() {
    return List.of(
        new DirectPath(),
        new FireMeshPair(),
        new HaproxyPair(false),
        new HaproxyPair(true),
        new NginxPair(false),
        new NginxPair(true));
  }

  /** The scenario called {@code name}. */
  static Scenario named(String name) {
    return all().stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no scenario '"
                        + name
                        + "'; expected one of "
                        + all().stream().map(Scenario::name).toList()));
  }

  /** The installed program {@code name} from PATH or the usual sbin folders, if any. */
  static Optional<Path> program(String name) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin:/sbin";
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return Optional.of(Path.of(dir, name));
      }
    }
    return Optional.empty();
  }
}
