package dev.firemesh.cli.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.cli.log.LogLevels.Threshold;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The sidecar's log lines: logback.xml's pattern and levels, without logback. */
class StderrLoggerTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final LogLevels levels =
      new LogLevels(Threshold.INFO, Map.of("io.grpc", Threshold.WARN, "io.netty", Threshold.WARN));
  private final StderrLoggerFactory factory =
      new StderrLoggerFactory(levels, new PrintStream(bytes, true, StandardCharsets.UTF_8));

  private String written() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aLineHasTheTimeTheLevelPaddedTheSimpleNameAndTheMessage() {
    Logger log = factory.getLogger("dev.firemesh.xds.client.AdsClient");
    log.info("xDS stream established server={}", "127.0.0.1:18000");
    log.warn("two {} and {}", "a", "b");
    String[] lines = written().split(System.lineSeparator());
    assertThat(lines[0])
        .matches(
            "\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d INFO  AdsClient - xDS stream established"
                + " server=127\\.0\\.0\\.1:18000");
    assertThat(lines[1]).endsWith(" WARN  AdsClient - two a and b");
  }

  @Test
  void aTrailingThrowableIsPrintedAsAStackTraceNotAsAParameter() {
    Logger log = factory.getLogger("dev.firemesh.proxy.Sidecar");
    log.error("consumer failed version={}", "v7", new IllegalStateException("boom"));
    assertThat(written())
        .contains("ERROR Sidecar - consumer failed version=v7" + System.lineSeparator())
        .contains("java.lang.IllegalStateException: boom")
        .contains("\tat ");
  }

  @Test
  void librariesAreQuietBelowWarnAndTheirChildrenToo() {
    factory.getLogger("io.grpc.netty.NettyClientHandler").info("chatter");
    factory.getLogger("io.netty").debug("chatter");
    factory.getLogger("io.grpcx.Other").info("not a child of io.grpc");
    factory.getLogger("io.netty.channel.Foo").warn("a warning");
    assertThat(written())
        .doesNotContain("chatter")
        .contains("INFO  Other - not a child of io.grpc")
        .contains("WARN  Foo - a warning");
    assertThat(factory.getLogger("dev.firemesh.X").isDebugEnabled()).isFalse();
    assertThat(factory.getLogger("dev.firemesh.X").isInfoEnabled()).isTrue();
  }

  @Test
  void levelsAreReadAsLogbackReadsThem() {
    assertThat(Threshold.parse("debug")).isEqualTo(Threshold.DEBUG);
    assertThat(Threshold.parse(" WARN ")).isEqualTo(Threshold.WARN);
    assertThat(Threshold.parse("ALL")).isEqualTo(Threshold.TRACE);
    assertThat(Threshold.parse("OFF")).isEqualTo(Threshold.OFF);
    assertThat(Threshold.parse("loud")).isEqualTo(Threshold.DEBUG);
    Logger off =
        new StderrLoggerFactory(
                new LogLevels(Threshold.OFF, Map.of()),
                new PrintStream(bytes, true, StandardCharsets.UTF_8))
            .getLogger("x");
    off.error("never");
    assertThat(written()).isEmpty();
  }
}
