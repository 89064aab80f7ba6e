package dev.firemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firemesh.proxy.telemetry.AccessLogFormat;
import dev.firemesh.proxy.telemetry.AccessLogSettings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code firemesh proxy}'s access log options, as a user writes them. */
class AccessLogOptionsTest {

  private static AccessLogOptions parse(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of("proxy", "--service", "s"));
    all.addAll(List.of(args));
    var parsed = FireMesh.sidecarCommandLine("proxy").parseArgs(all.toArray(String[]::new));
    return ((ProxyCommand) parsed.subcommand().commandSpec().userObject()).options.accessLog;
  }

  @Test
  void offUnlessAsked() {
    assertThat(parse().settings()).isEmpty();
  }

  @Test
  void aFileInTextRotatedBySize() {
    AccessLogSettings settings =
        parse(
                "--access-log", "/var/log/firemesh/access.log",
                "--access-log-format", "text",
                "--access-log-max-size", "10MiB",
                "--access-log-keep", "3")
            .settings()
            .orElseThrow();

    assertThat(settings.file()).contains(Path.of("/var/log/firemesh/access.log"));
    assertThat(settings.style()).isEqualTo(AccessLogFormat.Style.TEXT);
    assertThat(settings.maxFileBytes()).isEqualTo(10L * 1024 * 1024);
    assertThat(settings.keepFiles()).isEqualTo(3);
  }

  @Test
  void stdoutWithChosenJsonFields() {
    AccessLogSettings settings =
        parse("--access-log", "stdout", "--access-log-fields", "time,status,path")
            .settings()
            .orElseThrow();

    assertThat(settings.file()).isEmpty();
    assertThat(settings.style()).isEqualTo(AccessLogFormat.Style.JSON);
    assertThat(settings.fields()).containsExactly("time", "status", "path");
  }

  @Test
  void sizesTakeBinaryUnits() {
    assertThat(AccessLogOptions.bytes("5000")).isEqualTo(5000);
    assertThat(AccessLogOptions.bytes("64k")).isEqualTo(64 * 1024);
    assertThat(AccessLogOptions.bytes("100MiB")).isEqualTo(100L << 20);
    assertThat(AccessLogOptions.bytes("2 GB")).isEqualTo(2L << 30);
    assertThat(AccessLogOptions.bytes("0")).isZero();
  }

  @Test
  void badValuesNameTheirOption() {
    assertThatThrownBy(
            () -> parse("--access-log", "stdout", "--access-log-format", "xml").settings())
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("--access-log-format");
    assertThatThrownBy(
            () -> parse("--access-log", "stdout", "--access-log-fields", "tim").settings())
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("--access-log-fields")
        .hasMessageContaining("\"tim\"");
    assertThatThrownBy(
            () -> parse("--access-log", "a.log", "--access-log-max-size", "lots").settings())
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("--access-log-max-size");
    assertThatThrownBy(() -> parse("--access-log-fields", "time").settings())
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("needs --access-log");
  }
}
