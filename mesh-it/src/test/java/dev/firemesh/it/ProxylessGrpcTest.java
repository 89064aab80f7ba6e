package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.cli.client.AdminClient;
import dev.firemesh.identity.SvidFiles;
import dev.firemesh.identity.WorkloadCredentials;
import dev.firemesh.identity.WorkloadSslContext;
import dev.firemesh.xds.client.AdsClient;
import dev.firemesh.xds.server.IdentityServer;
import dev.firemesh.xds.translate.NodeIdentity;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
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

      // The client's identity and bootstrap, as an operator would provide them: `firemesh svid`
      // enrols on the operator's credentials and writes the SVID files and a bootstrap naming
      // them; mesh-proxyless on the classpath makes grpc-xds present the SVID.
      Path identity = tmp.resolve("identity");
      Cli.Result svid =
          Cli.run(
              "svid",
              "--service",
              "it-client",
              "--env",
              "prod",
              "--node-id",
              "it-client-1",
              "--out",
              identity.toString(),
              "--once",
              "--data-dir",
              control.dataDir().toString());
      assertThat(svid.exitCode()).as(svid.err()).isZero();
      Path bootstrap = identity.resolve("xds-bootstrap.json");
      assertThat(Files.readString(bootstrap)).contains("\"type\" : \"tls\"", "it-client");
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

        // The client shows up as an xDS node, with the identity its certificate proved.
        assertThat(admin.get("/v1/xds/nodes").toString())
            .contains("it-client-1", "spiffe://", "/env/prod/svc/it-client");

        // Nobody else is served: not a node without a certificate, not one whose certificate
        // names another service than the one it asks for. The same certificate, honestly used,
        // is served at once beside them.
        WorkloadCredentials credentials =
            SvidFiles.read(
                identity.resolve(SvidFiles.CHAIN),
                identity.resolve(SvidFiles.KEY),
                identity.resolve(SvidFiles.BUNDLE));
        SSLContext tls = WorkloadSslContext.following(() -> credentials);
        try (AdsClient impostor = ads(control, "impostor-1", "orders", tls);
            AdsClient plaintext = ads(control, "plaintext-1", "it-client", null);
            AdsClient honest = ads(control, "honest-1", "it-client", tls)) {
          await().atMost(Duration.ofSeconds(20)).until(() -> honest.config().isPresent());
          assertThat(impostor.config()).isEmpty();
          assertThat(plaintext.config()).isEmpty();
          assertThat(admin.get("/v1/xds/nodes").toString())
              .contains("honest-1")
              .doesNotContain("impostor-1", "plaintext-1");
        }
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } finally {
      for (IdentityServer server : servers) {
        server.close();
      }
    }
  }

  private static AdsClient ads(
      ControlPlaneProcess control, String nodeId, String service, SSLContext tls)
      throws IOException {
    AdsClient.Builder builder =
        AdsClient.builder()
            .server("127.0.0.1", control.xdsPort())
            .node(new NodeIdentity(nodeId, service, "", ""));
    if (tls != null) {
      builder.tls(tls);
    }
    return builder.start();
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
