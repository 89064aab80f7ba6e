package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.cli.client.AdminClient;
import dev.firemesh.xds.server.IdentityServer;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stock grpc-java client with grpc-xds, pointed at a real control plane process by a bootstrap
 * file, resolves {@code xds:///orders} to registered instances and follows a weighted route.
 */
class ProxylessGrpcTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void weightedRouteAndNewInstancesReachAStockGrpcClient() throws Exception {
    List<IdentityServer> servers = new ArrayList<>();
    try (ControlPlaneProcess control = ControlPlaneProcess.start(tmp.resolve("data"))) {
      AdminClient admin = control.client();
      admin.post(
          "/v1/apply",
          files(
              """
              apiVersion: firemesh.dev/v1
              kind: Service
              metadata: {name: orders}
              spec:
                ports: [{name: grpc, port: 9090, protocol: grpc}]
                subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
              ---
              apiVersion: firemesh.dev/v1
              kind: Route
              metadata: {name: orders}
              spec:
                service: orders
                rules:
                  - destinations:
                      - {subset: v1, weight: 80}
                      - {subset: v2, weight: 20}
              """));
      IdentityServer v1 = IdentityServer.start("orders-v1-a");
      IdentityServer v2 = IdentityServer.start("orders-v2-a");
      servers.add(v1);
      servers.add(v2);
      register(admin, v1, "v1");
      register(admin, v2, "v2");

      Path bootstrap = tmp.resolve("bootstrap.json");
      Files.writeString(
          bootstrap,
          """
          {"xds_servers": [{"server_uri": "127.0.0.1:%d",
                            "channel_creds": [{"type": "insecure"}],
                            "server_features": ["xds_v3"]}],
           "node": {"id": "it-client-1", "locality": {"region": "eu-west"}}}
          """
              .formatted(control.xdsPort()));
      System.setProperty("io.grpc.xds.bootstrap", bootstrap.toString());
      ManagedChannel channel =
          Grpc.newChannelBuilder("xds:///orders", InsecureChannelCredentials.create()).build();
      try {
        // Weighted split: 1000 calls, 80/20 expected; 5 standard deviations is 63 calls.
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(() -> IdentityServer.who(channel) != null);
        Map<String, Integer> counts = new HashMap<>();
        int calls = 1000;
        for (int i = 0; i < calls; i++) {
          counts.merge(IdentityServer.who(channel), 1, Integer::sum);
        }
        double sigma = Math.sqrt(calls * 0.8 * 0.2);
        assertThat(counts.getOrDefault("orders-v1-a", 0))
            .isBetween((int) (800 - 5 * sigma), (int) (800 + 5 * sigma));
        assertThat(counts.getOrDefault("orders-v2-a", 0))
            .isBetween((int) (200 - 5 * sigma), (int) (200 + 5 * sigma));

        // A newly registered instance receives calls soon after it registers.
        IdentityServer v1b = IdentityServer.start("orders-v1-b");
        servers.add(v1b);
        long registeredAt = System.nanoTime();
        register(admin, v1b, "v1");
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(5))
            .until(() -> IdentityServer.who(channel).equals("orders-v1-b"));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - registeredAt);
        System.out.println(
            "new instance received its first call " + millis + " ms after registering");

        // A deregistered instance stops receiving calls: graceful shutdown drains it.
        admin.delete("/v1/instances/orders/orders-v1-b");
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> {
                  for (int i = 0; i < 100; i++) {
                    if (IdentityServer.who(channel).equals("orders-v1-b")) {
                      return false;
                    }
                  }
                  return true;
                });

        // The client shows up as an xDS node that has acknowledged what it was sent.
        assertThat(admin.get("/v1/xds/nodes").toString()).contains("it-client-1");
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } finally {
      for (IdentityServer server : servers) {
        server.close();
      }
    }
  }

  private static void register(AdminClient admin, IdentityServer server, String version) {
    ObjectNode body =
        JSON.createObjectNode()
            .put("service", "orders")
            .put("instanceId", server.instanceId())
            .put("address", "127.0.0.1")
            .put("port", server.port())
            .put("ttlSeconds", 60);
    body.putObject("labels").put("version", version);
    admin.post("/v1/instances", body);
  }

  private static ObjectNode files(String yaml) {
    return ChildProcesses.applyBody("orders.yaml", yaml);
  }
}
