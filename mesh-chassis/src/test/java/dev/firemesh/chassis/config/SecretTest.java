package dev.firemesh.chassis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretTest {
  @TempDir Path directory;

  @Test
  void revealsAnEnvironmentVariableWhenAsked() {
    Secret secret = Secret.of("env:ORDERS_API_KEY", Map.of("ORDERS_API_KEY", "s3cr3t"));

    assertThat(secret.reveal()).isEqualTo("s3cr3t");
  }

  @Test
  void readsAFileEachTimeSoARotationIsSeen() throws Exception {
    Path file = directory.resolve("api-key");
    Files.writeString(file, "first\n");
    Secret secret = Secret.of("file:" + file);

    assertThat(secret.reveal()).isEqualTo("first");
    Files.writeString(file, "second");
    assertThat(secret.reveal()).isEqualTo("second");
  }

  @Test
  void neverShowsItsValue() {
    Secret secret = Secret.of("env:ORDERS_API_KEY", Map.of("ORDERS_API_KEY", "s3cr3t"));
    record Holder(Secret key) {}

    assertThat(secret.toString()).isEqualTo("Secret[env:ORDERS_API_KEY]");
    assertThat(new Holder(secret).toString()).doesNotContain("s3cr3t");
  }

  @Test
  void saysWhichReferenceCannotBeReadWithoutGuessing() {
    assertThatThrownBy(() -> Secret.of("env:MISSING", Map.of()).reveal())
        .isInstanceOf(SecretUnavailableException.class)
        .hasMessage("secret env:MISSING: the environment variable MISSING is not set");
    assertThatThrownBy(() -> Secret.of("file:" + directory.resolve("absent")).reveal())
        .isInstanceOf(SecretUnavailableException.class)
        .hasMessageContaining("the file cannot be read");
  }

  @Test
  void refusesAnythingButAReference() {
    assertThatThrownBy(() -> Secret.of("hunter2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> Secret.of("file:relative/path")).hasMessageContaining("absolute path");
    assertThatThrownBy(() -> Secret.of("env:1BAD")).hasMessageContaining("names a variable");
  }
}
