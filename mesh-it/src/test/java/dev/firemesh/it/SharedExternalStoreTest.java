package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.cli.client.AdminClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two control-plane replicas on one external PostgreSQL (Debian's PostgreSQL 15, the kind of server
 * production runs, reached by URL with a password): a change applied through one is read by the
 * other at once and pushed by its xDS server (LISTEN/NOTIFY), and an instance registered through
 * one is discovered through the other.
 */
class SharedExternalStoreTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void replicasSharingOneDatabaseSeeEachOthersChanges() throws Exception {
    try (DebianPostgres server = DebianPostgres.start()) {
      String url = server.url();
      try (ControlPlaneProcess a = ControlPlaneProcess.start(tmp.resolve("a"), "--store", url);
          // Replicas share the key-encryption key that seals the CA's keys, as operators must.
          ControlPlaneProcess b =
              ControlPlaneProcess.start(
                  tmp.resolve("b"),
                  "--store",
                  url,
                  "--ca-kek-file",
                  tmp.resolve("a").resolve("ca.kek").toString())) {
        AdminClient viaA = a.client();
        AdminClient viaB = b.client();
        assertThat(viaB.get("/v1/version").path("store").asText()).contains("external");

        long revision =
            viaA.post(
                    "/v1/apply",
                    files(
                        """
                        apiVersion: firemesh.dev/v1
                        kind: Service
                        metadata: {name: risk}
                        spec:
                          ports: [{name: http, port: 8080, protocol: http1}]
                        """))
                .path("revision")
                .asLong();
        assertThat(viaB.get("/v1/resources/Service/risk").path("revision").asLong())
            .isEqualTo(revision);
        // The other replica learns by LISTEN/NOTIFY and reloads; on a loaded machine that can take
        // seconds.
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> viaB.get("/v1/version").path("xdsRevision").asLong() == revision);

        ObjectNode registration =
            JSON.createObjectNode()
                .put("service", "risk")
                .put("instanceId", "risk-1")
                .put("address", "127.0.0.1")
                .put("port", 8081)
                .put("ttlSeconds", 60);
        viaB.post("/v1/instances", registration);
        assertThat(viaA.get("/v1/instances?service=risk").toString()).contains("risk-1");
      }
    }
  }

  @Test
  void unreachableExternalStoreFailsStartWithAClearMessage() throws Exception {
    var failure =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                ControlPlaneProcess.start(
                    tmp.resolve("c"),
                    "--store",
                    "postgresql://firemesh:secret@127.0.0.1:1/firemesh"));
    assertThat(failure)
        .hasMessageContaining("control plane exited")
        .hasMessageContaining("127.0.0.1:1")
        .hasMessageNotContaining("secret");
  }

  private static ObjectNode files(String yaml) {
    return ChildProcesses.applyBody("risk.yaml", yaml);
  }
}
