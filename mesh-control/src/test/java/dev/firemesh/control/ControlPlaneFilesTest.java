package dev.firemesh.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlPlaneFilesTest {
  @TempDir Path dir;

  private static Map<String, Object> addresses(long pid) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("admin", "https://127.0.0.1:7070");
    info.put("xds", "127.0.0.1:18000");
    info.put("pid", pid);
    info.put("store", "embedded");
    return info;
  }

  @Test
  void addressesAreWrittenWholeWithNoTemporaryFileLeft() throws IOException {
    ControlPlaneFiles.writeAddresses(dir, addresses(42));
    var written = new ObjectMapper().readTree(dir.resolve(ControlPlaneFiles.ADDRESSES).toFile());
    assertThat(written.path("admin").asText()).isEqualTo("https://127.0.0.1:7070");
    assertThat(written.path("pid").asLong()).isEqualTo(42);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("control.json");
    }
  }

  @Test
  void addressesAreRemovedOnlyByTheProcessTheyName() throws IOException {
    ControlPlaneFiles.writeAddresses(dir, addresses(42));
    // Another control plane started later on this directory owns the file now.
    assertThat(ControlPlaneFiles.removeAddresses(dir, 7)).isFalse();
    assertThat(dir.resolve(ControlPlaneFiles.ADDRESSES)).exists();

    assertThat(ControlPlaneFiles.removeAddresses(dir, 42)).isTrue();
    assertThat(dir.resolve(ControlPlaneFiles.ADDRESSES)).doesNotExist();
    assertThat(ControlPlaneFiles.removeAddresses(dir, 42)).isFalse();
  }

  @Test
  void aFileThatIsNotOursIsLeftAlone() throws IOException {
    Files.writeString(dir.resolve(ControlPlaneFiles.ADDRESSES), "not json {");
    assertThat(ControlPlaneFiles.removeAddresses(dir, 42)).isFalse();
    assertThat(dir.resolve(ControlPlaneFiles.ADDRESSES)).exists();
  }

  @Test
  void tokensAreReadStrippedAndAnEmptyOneIsRefused() throws IOException {
    Path token = dir.resolve(ControlPlaneFiles.TOKEN);
    Files.writeString(token, "  fm_abc\n");
    assertThat(ControlPlaneFiles.readToken(token)).isEqualTo("fm_abc");
    Files.writeString(token, "\n");
    assertThatThrownBy(() -> ControlPlaneFiles.readToken(token))
        .isInstanceOf(IOException.class)
        .hasMessage("the token file is empty");
  }
}
