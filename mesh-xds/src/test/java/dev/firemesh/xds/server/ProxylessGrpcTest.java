package dev.firemesh.xds.server;

import static dev.firemesh.xds.translate.Meshes.instance;
import static dev.firemesh.xds.translate.Meshes.route;
import static dev.firemesh.xds.translate.Meshes.service;
import static dev.firemesh.xds.translate.Meshes.split;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firemesh.api.registry.ServiceInstance;
import dev.firemesh.api.resource.Resource;
import dev.firemesh.xds.translate.MeshState;
import dev.firemesh.xds.translate.XdsType;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.xds.XdsNameResolverProvider;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real grpc-java client with {@code xds:///orders} against the FireMesh xDS server and three real
 * gRPC servers on loopback.
 *
 * <p>Bootstrap: grpc-java reads its bootstrap from {@code GRPC_XDS_BOOTSTRAP[_CONFIG]} or the
 * system properties {@code io.grpc.xds.bootstrap[Config]} once and caches it for the JVM, which
 * does not fit a server on an ephemeral port. Instead the channel gets its own name resolver,
 * {@link XdsNameResolverProvider#createForTest} with the bootstrap as a map, in its own {@link
 * NameResolverRegistry}: no global state. grpc-java still shares one xDS client per target string
 * in the JVM, so only this class dials {@code xds:///orders}.
 */
class ProxylessGrpcTest {
  private static final String NODE_ID = "proxyless-test-client";
  private static final List<Resource> RESOURCES =
      List.of(service("orders"), route("orders", split(80, 20)));

  private static final Map<String, String> VERSION_OF = new HashMap<>();
  private static final List<IdentityServer> SERVERS = new ArrayList<>();
  private static final List<ServiceInstance> INSTANCES = new ArrayList<>();
  private static XdsServer xds;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() {
    startInstance("orders-1", "v1", "a");
    startInstance("orders-2", "v1", "b");
    startInstance("orders-3", "v2", "a");
    xds = XdsServer.start(new InetSocketAddress("127.0.0.1", 0));
    xds.update(new MeshState(RESOURCES, INSTANCES));

    Map<String, Object> bootstrap =
        Map.of(
            "xds_servers",
            List.of(
                Map.of(
                    "server_uri", "127.0.0.1:" + xds.port(),
                    "channel_creds", List.of(Map.of("type", "insecure")),
                    "server_features", List.of("xds_v3"))),
            "node",
            Map.of("id", NODE_ID, "cluster", "test", "locality", Map.of("region", "eu-west")));
    NameResolverRegistry resolvers = new NameResolverRegistry();
    resolvers.register(XdsNameResolverProvider.createForTest("xds", bootstrap));
    channel =
        Grpc.newChannelBuilder("xds:///orders", InsecureChannelCredentials.create(), resolvers)
            .build();
  }

  private static ServiceInstance startInstance(String id, String version, String zone) {
    IdentityServer server = IdentityServer.start(id);
    SERVERS.add(server);
    VERSION_OF.put(id, version);
    ServiceInstance instance = instance("orders", id, server.port(), version, zone);
    INSTANCES.add(instance);
    return instance;
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
    if (xds != null) {
      xds.close();
    }
    for (IdentityServer server : SERVERS) {
      server.close();
    }
  }

  @Test
  void aWeightedRouteSplitsCallsBetweenSubsets() {
    int calls = 1000;
    double v2Share = 0.2;
    Map<String, Integer> byInstance = new HashMap<>();
    for (int i = 0; i < calls; i++) {
      byInstance.merge(IdentityServer.who(channel), 1, Integer::sum);
    }

    assertThat(VERSION_OF).containsKeys(byInstance.keySet().toArray(String[]::new));
    int v2 =
        byInstance.entrySet().stream()
            .filter(e -> VERSION_OF.get(e.getKey()).equals("v2"))
            .mapToInt(Map.Entry::getValue)
            .sum();
    // Binomial(1000, 0.2): mean 200, sigma 12.6; five sigma is a false alarm once in 3.5 million.
    double mean = calls * v2Share;
    double sigma = Math.sqrt(calls * v2Share * (1 - v2Share));
    System.out.printf(
        "weighted split over %d calls: %s (v2 %d, expected %.0f +- %.0f)%n",
        calls, byInstance, v2, mean, 5 * sigma);
    assertThat((double) v2).isBetween(mean - 5 * sigma, mean + 5 * sigma);
    // Both v1 instances serve: round robin within the subset, across its two localities.
    assertThat(byInstance).containsKeys("orders-1", "orders-2", "orders-3");

    NodeStatus client = xds.node(NODE_ID).orElseThrow();
    assertThat(client.connected()).isTrue();
    for (XdsType type : XdsType.values()) {
      assertThat(client.type(type).inSync()).as("%s acknowledged", type).isTrue();
      assertThat(client.type(type).lastNack()).as("%s not rejected", type).isEmpty();
    }
  }

  @Test
  void aNewlyRegisteredInstanceStartsReceivingCalls() {
    IdentityServer.who(channel); // the channel is up and configured
    startInstance("orders-4", "v2", "b");

    long start = System.nanoTime();
    xds.update(new MeshState(RESOURCES, INSTANCES));
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(1))
        .until(() -> IdentityServer.who(channel).equals("orders-4"));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    System.out.printf("new instance orders-4 first served %d ms after update()%n", millis);
  }
}
