package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.cli.client.AdminClient;
import dev.firemesh.workload.admin.AdminCallException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing acknowledged is lost and nothing partial survives: a client applies two-document batches
 * in a loop while the control plane is killed with SIGKILL, then restarted on the same data
 * directory (whose embedded PostgreSQL was left orphaned by the kill).
 */
class DurabilityTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void everyAcknowledgedRevisionSurvivesSigkill() throws Exception {
    Path data = tmp.resolve("data");
    Map<Long, Integer> acknowledged = new ConcurrentHashMap<>(); // revision -> counter applied
    try (ControlPlaneProcess first = ControlPlaneProcess.start(data)) {
      AdminClient client = first.client();
      client.post("/v1/apply", batch(0, true));
      AtomicBoolean killed = new AtomicBoolean();
      Thread applier =
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int n = 1; !killed.get(); n++) {
                      try {
                        JsonNode answer = client.post("/v1/apply", batch(n, false));
                        acknowledged.put(answer.path("revision").asLong(), n);
                      } catch (AdminCallException e) {
                        return; // the process is gone; this apply was never acknowledged
                      }
                    }
                  });
      while (acknowledged.size() < 25) {
        Thread.sleep(20);
      }
      first.kill();
      killed.set(true);
      applier.join();
    }
    assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(25);

    try (ControlPlaneProcess second = ControlPlaneProcess.start(data)) {
      AdminClient client = second.client();
      long head = client.get("/v1/version").path("revision").asLong();
      for (Map.Entry<Long, Integer> ack : acknowledged.entrySet()) {
        assertThat(ack.getKey()).isLessThanOrEqualTo(head);
        // Both documents of the batch are there, with the acknowledged counter: never half.
        JsonNode dev = client.get("/v1/resources/Config/orders-dev");
        assertThat(valueAt(client, ack.getKey(), "orders-dev", "counter"))
            .isEqualTo(ack.getValue());
        assertThat(valueAt(client, ack.getKey(), "orders-uat", "seq")).isEqualTo(ack.getValue());
        assertThat(dev.path("revision").asLong()).isLessThanOrEqualTo(head);
      }
      // Every revision the store kept is whole: a batch changed both of its documents.
      for (JsonNode revision : client.get("/v1/revisions?limit=1000").path("items")) {
        if (revision.path("revision").asLong() > 1) {
          assertThat(revision.path("changes")).hasSize(2);
        }
      }
      // And the restarted control plane takes writes again.
      JsonNode after = client.post("/v1/apply", batch(100_000, false));
      assertThat(after.path("revision").asLong()).isEqualTo(head + 1);
    }
  }

  /** The value a Config held right after {@code revision}, from the diff against revision 1. */
  private static int valueAt(AdminClient client, long revision, String config, String key) {
    for (JsonNode change : client.get("/v1/diff?from=1&to=" + revision).path("changes")) {
      if (change.path("name").asText().equals(config)) {
        return change.path("after").path("spec").path("values").path(key).asInt(-1);
      }
    }
    throw new AssertionError("revision " + revision + " did not change " + config);
  }

  /** Two Config documents that change together; the first batch also creates the Service. */
  private static ObjectNode batch(int n, boolean withService) {
    String service =
        """
        apiVersion: firemesh.dev/v1
        kind: Service
        metadata: {name: orders}
        spec:
          ports: [{name: http, port: 8080, protocol: http1}]
        ---
        """;
    String configs =
        """
        apiVersion: firemesh.dev/v1
        kind: Config
        metadata: {name: orders-dev}
        spec: {service: orders, environment: dev, values: {counter: %d}}
        ---
        apiVersion: firemesh.dev/v1
        kind: Config
        metadata: {name: orders-uat}
        spec: {service: orders, environment: uat, values: {seq: %d}}
        """
            .formatted(n, n);
    ObjectNode body = JSON.createObjectNode();
    body.putArray("files")
        .addObject()
        .put("name", "batch-" + n + ".yaml")
        .put("content", (withService ? service : "") + configs);
    return body;
  }
}
