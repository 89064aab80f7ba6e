package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code firemesh bench --smoke} with FireMesh's own sidecar pair (always mTLS), beside the direct
 * path: a real control plane (embedded PostgreSQL), two {@code firemesh proxy} processes in the
 * sidecar's JVM (enrolled with join tokens for mTLS), the echo upstream and the generator, so the
 * harness cannot rot. The peers' pairs are covered by mesh-bench's own HarnessTest.
 */
class BenchSmokeTest {

  @Test
  void theSmokeRunMeasuresTheSidecarPairAgainstTheDirectPath(@TempDir Path results)
      throws Exception {
    Cli.Result run =
        Cli.run(
            "bench",
            "--smoke",
            "--scenarios",
            "direct,firemesh-mtls",
            // A second at 200/s is 200 requests per pair, enough for a p50 and a CPU figure (the
            // harness's own HarnessTest measures with the same), and keeps the run on process
            // starts rather than on load.
            "--duration",
            "1s",
            "--warmup",
            "200ms",
            "--results",
            results.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(results.resolve("results.json").toFile());
    assertThat(json.path("skipped").has("firemesh-mtls")).as(json.toString()).isFalse();
    // The mTLS pair runs with enrolled sidecars and a strict MutualTls: a plaintext hop would fail.
    for (String scenario : new String[] {"firemesh-mtls"}) {
      JsonNode sidecarPair = null;
      for (JsonNode figures : json.path("figures")) {
        if (figures.path("scenario").asText().equals(scenario)
            && figures.path("load").asText().equals("200/s")) {
          sidecarPair = figures;
        }
      }
      assertThat(sidecarPair).as("figures for the %s pair at 200/s", scenario).isNotNull();
      assertThat(sidecarPair.path("errors").asLong()).as(scenario).isZero();
      assertThat(sidecarPair.path("p50").path("median").asDouble()).isPositive();
      assertThat(sidecarPair.path("cpuSecondsPer10k").path("median").asDouble()).isPositive();
      assertThat(json.path("idleRssBytes").path(scenario).asLong()).isPositive();
    }
    assertThat(Files.readString(results.resolve("results.md")))
        .contains("| firemesh-mtls |")
        .contains("## Saturation");
    JsonNode fanout = json.path("fanout").path("results").path(0);
    assertThat(fanout.path("clients").asInt()).isEqualTo(10);
    assertThat(fanout.path("appliesReachingAll").asInt())
        .as("every apply reached every simulated sidecar")
        .isEqualTo(fanout.path("applies").asInt())
        .isPositive();
    assertThat(Files.readString(results.resolve("results.md")))
        .contains("## Control plane: from apply to every proxy");
    assertThat(run.out()).contains("bench: results in");
  }
}
