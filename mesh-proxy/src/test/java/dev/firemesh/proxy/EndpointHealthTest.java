package dev.firemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.firemesh.proxy.testing.GrpcApp;
import dev.firemesh.proxy.testing.SidecarPair;
import dev.firemesh.traffic.balance.ClusterState;
import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.ClusterConfig.HealthCheck;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.Endpoint;
import dev.firemesh.traffic.config.RequestMatch;
import dev.firemesh.traffic.config.RouteAction;
import dev.firemesh.traffic.config.RouteEntry;
import dev.firemesh.traffic.config.VirtualService;
import dev.firemesh.traffic.health.EndpointHealth;
import dev.firemesh.traffic.route.SnapshotRouter;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A caller's sidecar takes endpoints out of its balancer when their active health check fails and
 * puts them back when it passes again (HTTP, gRPC and TCP checks), ejects endpoints whose answers
 * fail, and shows it on its admin pages.
 */
class EndpointHealthTest {
  private static final Duration INTERVAL = Duration.ofMillis(100);

  private final List<AutoCloseable> open = new ArrayList<>();
  private final SnapshotRouter router = new SnapshotRouter();
  private Sidecar sidecar;

  @AfterEach
  void close() throws Exception {
    if (sidecar != null) {
      sidecar.close();
    }
    for (AutoCloseable closeable : open) {
      closeable.close();
    }
  }

  @Test
  void anEndpointFailingItsHttpCheckLeavesTheBalancerAndReturnsWhenItPasses() throws Exception {
    List<Instance> instances = List.of(instance("one"), instance("two"), instance("three"));
    Instance two = instances.get(1);
    two.healthStatus.set(503);
    start(
        cluster(
            instances.stream().mapToInt(Instance::port).toArray(),
            new HealthCheck(
                HealthCheck.Type.HTTP,
                "/health",
                "orders",
                INTERVAL,
                Duration.ofSeconds(1),
                2,
                2)));

    await().until(() -> health(two.port()).failingActiveCheck());
    assertThat(namesReached(30)).containsExactlyInAnyOrder("one", "three");
    assertThat(two.healthHost.get()).as("the check names the service").isEqualTo("orders");
    String clusters = admin("/clusters");
    assertThat(clusters)
        .contains("\"health\": \"failing_check\"")
        .contains("\"health\": \"healthy\"");
    assertThat(admin("/stats/prometheus"))
        .contains("firemesh_proxy_upstream_endpoints_healthy{cluster=\"orders\"} 2")
        .containsPattern(
            "firemesh_proxy_health_checks_total\\{cluster=\"orders\",result=\"failed\"\\} [1-9]");

    two.healthStatus.set(200);
    await().until(() -> !health(two.port()).failingActiveCheck());
    assertThat(namesReached(30)).containsExactlyInAnyOrder("one", "two", "three");
  }

  @Test
  void aGrpcCheckPassesOnlyOnServing() throws Exception {
    AtomicInteger serving = new AtomicInteger(2); // NOT_SERVING
    Server grpc = healthServer(serving);
    int port = grpc.getPort();
    start(
        cluster(
            new int[] {port},
            new HealthCheck(
                HealthCheck.Type.GRPC, "", "orders", INTERVAL, Duration.ofSeconds(1), 1, 1)));

    await().until(() -> health(port).failingActiveCheck());
    serving.set(1);
    await().until(() -> !health(port).failingActiveCheck());
    assertThat(cluster().health().checksPassed()).isPositive();
  }

  @Test
  void aTcpCheckFailsWhereNothingListens() throws Exception {
    Instance alive = instance("alive");
    int dead;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dead = socket.getLocalPort();
    }
    start(
        cluster(
            new int[] {alive.port(), dead},
            new HealthCheck(HealthCheck.Type.TCP, "", "", INTERVAL, Duration.ofSeconds(1), 1, 1)));

    await().until(() -> health(dead).failingActiveCheck());
    assertThat(health(alive.port()).failingActiveCheck()).isFalse();
    assertThat(namesReached(10)).containsExactly("alive");
  }

  @Test
  void anEndpointAnswering503IsEjectedAndTrafficMovesAway() throws Exception {
    List<Instance> instances = List.of(instance("one"), instance("two"), instance("three"));
    instances.get(1).appStatus.set(503);
    start(
        cluster(
            instances.stream().mapToInt(Instance::port).toArray(),
            HealthCheck.DISABLED,
            new ClusterConfig.OutlierDetection(
                3, 0, Duration.ofSeconds(1), Duration.ofSeconds(30), 50)));

    namesReached(30); // two answers 503 at least three times in a row
    await().until(() -> health(instances.get(1).port()).ejected());
    assertThat(namesReached(30)).containsExactlyInAnyOrder("one", "three");
  }

  // ---- helpers ----

  private void start(ClusterConfig cluster) {
    sidecar =
        SidecarPair.ephemeral(Sidecar.builder().router(router).localAppPort(1)).build().start();
    RouteAction action =
        new RouteAction(
            List.of(new RouteAction.WeightedCluster("orders", 1)),
            Duration.ZERO,
            RouteAction.Retry.NONE,
            RouteAction.Fault.NONE,
            List.of(),
            "");
    sidecar.apply(
        new DataPlaneConfig(
            "1",
            Map.of(
                "orders",
                new VirtualService(
                    "orders", List.of(new RouteEntry("default", RequestMatch.ANY, action)))),
            Map.of("orders", cluster)));
  }

  private static ClusterConfig cluster(int[] ports, HealthCheck check) {
    return cluster(ports, check, ClusterConfig.OutlierDetection.DISABLED);
  }

  private static ClusterConfig cluster(
      int[] ports, HealthCheck check, ClusterConfig.OutlierDetection detection) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (int port : ports) {
      endpoints.add(new Endpoint("127.0.0.1", port, "local", "local-a", 1));
    }
    return new ClusterConfig(
            "orders",
            check.type() == HealthCheck.Type.GRPC
                ? ClusterConfig.Protocol.HTTP2
                : ClusterConfig.Protocol.HTTP1,
            ClusterConfig.BalancerPolicy.ROUND_ROBIN,
            Duration.ofSeconds(1),
            Duration.ofSeconds(30),
            ClusterConfig.Limits.DEFAULT,
            detection,
            endpoints)
        .withHealthCheck(check);
  }

  private ClusterState cluster() {
    return router.cluster("orders").orElseThrow();
  }

  private EndpointHealth health(int port) {
    return cluster().health().find("127.0.0.1:" + port).orElseThrow();
  }

  private Set<String> namesReached(int requests) throws Exception {
    HttpClient client =
        HttpClient.newBuilder().proxy(ProxySelector.of(sidecar.outboundAddress())).build();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < requests; i++) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create("http://orders/who")).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        names.add(response.body());
      }
    }
    return names;
  }

  private String admin(String path) throws Exception {
    InetSocketAddress admin = sidecar.adminAddress();
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.getPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** An application instance: {@code /who} answers its name, {@code /health} a settable status. */
  private record Instance(
      HttpServer server,
      AtomicInteger healthStatus,
      AtomicInteger appStatus,
      java.util.concurrent.atomic.AtomicReference<String> healthHost) {
    int port() {
      return server.getAddress().getPort();
    }
  }

  private Instance instance(String name) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    Instance instance =
        new Instance(
            server,
            new AtomicInteger(200),
            new AtomicInteger(200),
            new java.util.concurrent.atomic.AtomicReference<>(""));
    server.createContext("/who", exchange -> reply(exchange, instance.appStatus().get(), name));
    server.createContext(
        "/health",
        exchange -> {
          instance.healthHost().set(exchange.getRequestHeaders().getFirst("Host"));
          reply(exchange, instance.healthStatus().get(), "");
        });
    server.start();
    open.add(() -> server.stop(0));
    return instance;
  }

  private static void reply(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** grpc.health.v1.Health/Check answering {@code status} (1 SERVING, 2 NOT_SERVING). */
  private Server healthServer(AtomicInteger status) throws IOException {
    MethodDescriptor<byte[], byte[]> check =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("grpc.health.v1.Health/Check")
            .setRequestMarshaller(GrpcApp.Bytes.INSTANCE)
            .setResponseMarshaller(GrpcApp.Bytes.INSTANCE)
            .build();
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .addService(
                ServerServiceDefinition.builder("grpc.health.v1.Health")
                    .addMethod(
                        check,
                        ServerCalls.asyncUnaryCall(
                            (request, response) -> {
                              response.onNext(new byte[] {0x08, (byte) status.get()});
                              response.onCompleted();
                            }))
                    .build())
            .build()
            .start();
    open.add(() -> server.shutdownNow().awaitTermination());
    return server;
  }
}
