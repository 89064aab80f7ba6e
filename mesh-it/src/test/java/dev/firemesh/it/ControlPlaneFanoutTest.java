package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.bench.fanout.ControlPlaneAddress;
import dev.firemesh.bench.fanout.FanoutDriver;
import dev.firemesh.bench.fanout.FanoutPlan;
import dev.firemesh.bench.fanout.FanoutReport;
import dev.firemesh.bench.fanout.FanoutResult;
import dev.firemesh.cli.client.AdminClient;
import dev.firemesh.workload.admin.AdminCallException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control-plane fan-out benchmark against a real {@code firemesh control} process, whose xDS
 * serves only TLS connections presenting an SVID, each for its own service: the benchmark enrols
 * its simulated service on the operator's token, every apply reaches every simulated sidecar, and
 * the control plane itself records each sidecar's ACKs. Counts only; the timings are the
 * benchmark's business (mesh-bench/README.md).
 */
class ControlPlaneFanoutTest {
  private static final int SIDECARS = 10;
  private static final int APPLIES = 3;

  @TempDir Path tmp;

  private static String log(ControlPlaneProcess control) {
    try {
      return control.log();
    } catch (IOException e) {
      return "(cannot read its log: " + e + ")";
    }
  }

  @Test
  void everyApplyReachesEverySimulatedSidecar() throws Exception {
    try (ControlPlaneProcess control = ControlPlaneProcess.start(tmp.resolve("data"))) {
      List<String> progress = new ArrayList<>();
      FanoutPlan plan = FanoutPlan.of(List.of(SIDECARS), APPLIES).withWarmupApplies(1);

      FanoutReport report =
          new FanoutDriver(ControlPlaneAddress.fromDataDir(control.dataDir()), plan, progress::add)
              .run();

      assertThat(report.results()).hasSize(1);
      FanoutResult result = report.results().getFirst();
      assertThat(result.problems())
          .as(() -> "problems; progress: " + progress + "; control plane:\n" + log(control))
          .isEmpty();
      assertThat(result.appliesReachingAll()).isEqualTo(APPLIES);
      assertThat(result.missed()).isZero();
      assertThat(result.lostStreams()).isZero();
      assertThat(result.nacks()).isZero();
      assertThat(result.eachClientAfterSend().count()).isEqualTo((long) SIDECARS * APPLIES);
      assertThat(result.lastClientAfterReturn().count()).isEqualTo(APPLIES);

      // The control plane saw each simulated sidecar as a node that ACKed what it was sent.
      AdminClient admin = control.client();
      List<JsonNode> nodes =
          StreamSupport.stream(admin.get("/v1/xds/nodes").path("items").spliterator(), false)
              .filter(node -> node.path("nodeId").asText().startsWith("fanout-sidecar-"))
              .toList();
      assertThat(nodes).hasSize(SIDECARS);
      assertThat(nodes)
          .allSatisfy(
              node ->
                  assertThat(node.path("types"))
                      .allSatisfy(type -> assertThat(type.path("inSync").asBoolean()).isTrue()));

      // The fleet enrolled as a sidecar started by an operator does: one one-use join token for
      // its one service, spent on the SVID its connections present.
      List<JsonNode> tokens =
          StreamSupport.stream(admin.get("/v1/tokens").path("items").spliterator(), false)
              .filter(token -> token.path("service").asText().equals("fanout-caller"))
              .toList();
      assertThat(tokens)
          .hasSize(1)
          .allSatisfy(
              token -> {
                assertThat(token.path("env").asText()).isEqualTo("bench");
                assertThat(token.path("state").asText()).isEqualTo("used-up");
              });

      // The benchmark cleans up after itself: the probe Service is gone.
      try {
        admin.get("/v1/resources/service/" + report.probeService());
        throw new AssertionError("the probe Service " + report.probeService() + " is still there");
      } catch (AdminCallException e) {
        assertThat(e.status()).isEqualTo(404);
      }
    }
  }
}
