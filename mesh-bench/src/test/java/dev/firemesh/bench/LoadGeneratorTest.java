package dev.firemesh.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LoadGeneratorTest {

  @Test
  void writesTheReportAsJsonWithPercentilesInMicroseconds(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out.json");
    try (EchoServer echo =
        EchoServer.start(
            new InetSocketAddress("127.0.0.1", 0), new EchoBody.Fixed(128), Optional.empty(), 1)) {
      int exit =
          new CommandLine(new LoadGenerator())
              .execute(
                  "--target", "127.0.0.1:" + echo.port(),
                  "--host", "echo",
                  "--rate", "200",
                  "--connections", "2",
                  "--payload", "512",
                  "--warmup", "200ms",
                  "--duration", "1s",
                  "--json", out.toString());

      assertThat(exit).isZero();
    }
    JsonNode json = new ObjectMapper().readTree(out.toFile());
    assertThat(json.get("requestedRate").asInt()).isEqualTo(200);
    assertThat(json.get("scheduled").asLong()).isEqualTo(200);
    assertThat(json.get("count").asLong()).isEqualTo(200);
    assertThat(json.get("errors").asLong()).isZero();
    assertThat(json.get("achievedRate").isNumber()).isTrue();
    JsonNode latency = json.get("latencyMicros");
    for (String field : new String[] {"p50", "p90", "p99", "p999", "max", "count"}) {
      assertThat(latency.has(field)).as(field).isTrue();
    }
    assertThat(latency.get("p50").asLong()).isLessThanOrEqualTo(latency.get("max").asLong());
    assertThat(latency.get("count").asLong()).isEqualTo(200);
    assertThat(json.has("serviceTimeMicros")).isTrue();
    assertThat(json.get("protocol").asText()).isEqualTo("http1");
    assertThat(json.get("reconnects").asLong()).isZero();
    JsonNode curve = latency.get("percentiles");
    assertThat(curve.isArray()).isTrue();
    assertThat(curve.size()).isBetween(2, 99);
    JsonNode last = curve.get(curve.size() - 1);
    assertThat(last.get("percentile").asDouble()).isEqualTo(100.0);
    assertThat(last.get("micros").asLong()).isEqualTo(latency.get("max").asLong());
  }

  @Test
  void speaksH2WhenAskedWithStreamsInFlightPerConnection(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out.json");
    try (EchoServer echo =
        EchoServer.start(
            new InetSocketAddress("127.0.0.1", 0), new EchoBody.Echo(), Optional.empty(), 1)) {
      int exit =
          new CommandLine(new LoadGenerator())
              .execute(
                  "--target", "127.0.0.1:" + echo.port(),
                  "--protocol", "h2",
                  "--max-in-flight", "4",
                  "--rate", "200",
                  "--connections", "1",
                  "--warmup", "200ms",
                  "--duration", "1s",
                  "--json", out.toString());

      assertThat(exit).isZero();
    }
    JsonNode json = new ObjectMapper().readTree(out.toFile());
    assertThat(json.get("protocol").asText()).isEqualTo("h2");
    assertThat(json.get("count").asLong()).isEqualTo(200);
  }

  @Test
  void refusesAnUnknownProtocolWithAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new LoadGenerator()).setErr(new PrintWriter(err));

    int exit = cli.execute("--target", "127.0.0.1:1", "--protocol", "spdy");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("protocol must be http1 or h2");
  }

  @Test
  void refusesABadTargetWithAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new LoadGenerator()).setErr(new PrintWriter(err));

    int exit = cli.execute("--target", "localhost", "--duration", "1s");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--target must be host:port");
  }
}
