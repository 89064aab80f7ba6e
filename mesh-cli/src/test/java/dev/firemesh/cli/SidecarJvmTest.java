package dev.firemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's sidecars get the launcher's sidecar JVM, read from the one file both use. */
class SidecarJvmTest {
  @Test
  void theOptionsAreTheFilesLinesWithoutComments() throws Exception {
    List<String> options = SidecarJvm.options();

    assertThat(options).contains("-Xmx32m", "-XX:+UseSerialGC", "-XX:MaxDirectMemorySize=64m");
    assertThat(options).allMatch(o -> o.startsWith("-"));
    // The launcher reads the same file from the source tree.
    Path file = Path.of("src/main/resources/dev/firemesh/cli/sidecar-jvm.options");
    List<String> lines =
        Files.readAllLines(file).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
    assertThat(options.subList(0, lines.size())).isEqualTo(lines);
  }
}
