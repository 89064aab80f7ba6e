package dev.firemesh.bench.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The driver against an in-test control plane (ADS server over TLS that serves a node only its
 * certificate's service, and an admin API that issues join tokens and SVIDs): each round enrols,
 * every apply is timed at every sidecar, and the report says so.
 */
class FanoutDriverTest {

  @Test
  void timesEveryApplyAtEverySidecar() throws Exception {
    try (InTestControlPlane controlPlane = InTestControlPlane.withTls("fanout-probe")) {
      List<String> progress = new ArrayList<>();
      FanoutPlan plan =
          FanoutPlan.of(List.of(3, 7), 4)
              .withPause(Duration.ZERO)
              .withTimeout(Duration.ofSeconds(20));

      FanoutReport report = new FanoutDriver(controlPlane.address(), plan, progress::add).run();

      assertThat(report.complete()).isTrue();
      assertThat(report.results()).extracting(FanoutResult::clients).containsExactly(3, 7);
      for (FanoutResult result : report.results()) {
        assertThat(result.problems()).isEmpty();
        assertThat(result.appliesReachingAll()).isEqualTo(4);
        assertThat(result.missed()).isZero();
        assertThat(result.lastClientAfterReturn().count()).isEqualTo(4);
        assertThat(result.lastClientAfterSend().count()).isEqualTo(4);
        assertThat(result.eachClientAfterReturn().count()).isEqualTo(4L * result.clients());
        assertThat(result.eachClientAfterSend().count()).isEqualTo(4L * result.clients());
        assertThat(result.applyCall().count()).isEqualTo(4);
        // From the send, the last sidecar is never earlier than any one sidecar.
        assertThat(result.lastClientAfterSend().max())
            .isGreaterThanOrEqualTo(result.eachClientAfterSend().max());
        assertThat(result.markdownRow()).startsWith("| " + result.clients() + " | 4 |");
      }
      assertThat(progress).anyMatch(line -> line.startsWith("clients=7 "));
      // One SVID per round for the one service the sidecars are, on a join token each; every
      // sidecar's stream came on a connection that proved that service.
      assertThat(controlPlane.enrolled())
          .extracting(id -> id.service() + "/" + id.env())
          .containsExactly("fanout-caller/bench", "fanout-caller/bench");
      assertThat(controlPlane.certified()).hasSize(7);
      assertThat(controlPlane.certified().values())
          .allSatisfy(proven -> assertThat(proven.service()).isEqualTo("fanout-caller"));
    }
  }

  @Test
  void aRoundWhoseSidecarsNeverConnectIsIncomplete() throws Exception {
    // A listener that never answers: the TLS handshakes hang, no stream is lost, none configured.
    try (InTestControlPlane controlPlane = InTestControlPlane.withTls("fanout-probe");
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      ControlPlaneAddress address =
          new ControlPlaneAddress(
              controlPlane.address().admin(),
              InTestControlPlane.TOKEN,
              "127.0.0.1",
              silent.getLocalPort(),
              Optional.empty());
      FanoutPlan plan = FanoutPlan.of(List.of(2), 1).withTimeout(Duration.ofSeconds(1));

      FanoutReport report = new FanoutDriver(address, plan, line -> {}).run();

      assertThat(report.complete()).isFalse();
      assertThat(report.results().getFirst().problems())
          .anyMatch(problem -> problem.startsWith("0 of 2 sidecars had their first configuration"));
    }
  }

  @Test
  void theCommandLineWritesTheReportAsJson(@TempDir Path dir) throws Exception {
    try (InTestControlPlane controlPlane = InTestControlPlane.withTls("fanout-probe")) {
      ControlPlaneAddress address = controlPlane.address();
      Path json = dir.resolve("fanout.json");
      int exit =
          new CommandLine(new FanoutBenchmark())
              .execute(
                  "--admin",
                  address.admin().toString(),
                  "--token-file",
                  InTestControlPlane.tokenFile(dir).toString(),
                  "--xds",
                  address.xdsHost() + ":" + address.xdsPort(),
                  "--clients",
                  "2,4",
                  "--applies",
                  "2",
                  "--pause",
                  "0ms",
                  "--json",
                  json.toString());

      assertThat(exit).isZero();
      JsonNode report = new ObjectMapper().readTree(json.toFile());
      assertThat(report.path("probeService").asText()).isEqualTo("fanout-probe");
      assertThat(report.path("results")).hasSize(2);
      assertThat(report.path("results").get(1).path("clients").asInt()).isEqualTo(4);
      assertThat(report.path("results").get(1).path("eachClientAfterReturn").path("count").asLong())
          .isEqualTo(8);
    }
  }

  @Test
  void aControlPlaneIsNamedOneWayOnly() {
    int exit =
        new CommandLine(new FanoutBenchmark())
            .setErr(new java.io.PrintWriter(java.io.Writer.nullWriter()))
            .execute("--control-data-dir", "/nonexistent", "--xds", "127.0.0.1:1");
    assertThat(exit).isEqualTo(2);
  }
}
