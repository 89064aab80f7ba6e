package dev.firemesh.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JVM a sidecar runs in, for sidecars this process launches ({@code firemesh demo}): the
 * options in {@code sidecar-jvm.options} (the same file the launcher reads for {@code ./firemesh
 * proxy}) and the build's AOT cache when there is one beside the jar.
 */
final class SidecarJvm {
  private static final String OPTIONS = "sidecar-jvm.options";

  private SidecarJvm() {}

  /** The JVM options, AOT cache included when the build has one. */
  static List<String> options() {
    List<String> options = new ArrayList<>();
    try (InputStream in = SidecarJvm.class.getResourceAsStream(OPTIONS)) {
      if (in == null) {
        throw new IllegalStateException(OPTIONS + " is missing from the class path");
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String option = line.strip();
        if (!option.isEmpty() && !option.startsWith("#")) {
          options.add(option);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    aotCache()
        .ifPresent(
            cache -> {
              options.add("-XX:AOTCache=" + cache);
              options.add("-XX:AOTMode=auto"); // a stale cache is skipped, never fatal
            });
    return options;
  }

  /** glibc's arenas, held to two as the launcher does (about 15 MiB of RSS). */
  static Map<String, String> environment() {
    return Map.of("MALLOC_ARENA_MAX", "2");
  }

  /** {@code proxy.aot} beside the jar this class came from (target/dist.N), if built. */
  private static java.util.Optional<Path> aotCache() {
    try {
      Path jar =
          Path.of(SidecarJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path cache = jar.resolveSibling("proxy.aot");
      return Files.isRegularFile(jar) && Files.isRegularFile(cache)
          ? java.util.Optional.of(cache)
          : java.util.Optional.empty();
    } catch (URISyntaxException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }
}
