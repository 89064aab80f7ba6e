package dev.firemesh.bench.fanout;

import com.google.protobuf.Any;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the control plane, on loopback ephemeral ports: an ADS server (java-control-plane,
 * one snapshot for every node) that serves the mesh shape FireMesh serves for each Service (a
 * Listener whose HTTP connection manager asks for a RouteConfiguration over ADS, an EDS Cluster
 * with the service's ports in its metadata, a ClusterLoadAssignment), and a tiny admin API that
 * takes the probe Service's YAML on {@code POST /v1/apply} and serves its port. Records every
 * request and response the ADS server sees.
 */
final class InTestControlPlane implements AutoCloseable {
  static final String TOKEN = "in-test-token";
  private static final Pattern PORT = Pattern.compile("port: (\\d+)");

  /** One request or response as the server saw it. */
  record Exchange(String node, String typeUrl, String version, String nonce, boolean nack) {}

  private final String service;
  private final SimpleCache<String> cache = new SimpleCache<>(node -> "mesh");
  private final Server ads;
  private final HttpServer admin;
  private final Queue<DiscoveryRequest> requests = new ConcurrentLinkedQueue<>();
  private final Queue<Exchange> responses = new ConcurrentLinkedQueue<>();
  private final Map<String, Integer> extraClusters = new ConcurrentHashMap<>();
  private int version;
  private int port;
  private long revision;

  InTestControlPlane(String service) throws IOException {
    this.service = service;
    DiscoveryServerCallbacks callbacks =
        new DiscoveryServerCallbacks() {
          @Override
          public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
            requests.add(request);
          }

          @Override
          public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {}

          @Override
          public void onV3StreamResponse(
              long streamId, DiscoveryRequest request, DiscoveryResponse response) {
            responses.add(
                new Exchange(
                    request.getNode().getId(),
                    response.getTypeUrl(),
                    response.getVersionInfo(),
                    response.getNonce(),
                    false));
          }
        };
    this.ads =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new V3DiscoveryServer(callbacks, cache).getAggregatedDiscoveryServiceImpl())
            .build()
            .start();
    this.admin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    admin.createContext("/", this::handle);
    admin.start();
  }

  ControlPlaneAddress address() {
    return new ControlPlaneAddress(
        URI.create("http://127.0.0.1:" + admin.getAddress().getPort()),
        TOKEN,
        "127.0.0.1",
        ads.getPort(),
        Optional.empty());
  }

  /** Serves the probe Service with {@code port} as a new snapshot version. */
  synchronized void servePort(int port) {
    this.port = port;
    publish();
  }

  /** Adds an unrelated service's Cluster (a change every node gets, without the probe moving). */
  synchronized void serveOtherCluster(String name) {
    extraClusters.put(name, 1);
    publish();
  }

  synchronized String version() {
    return Integer.toString(version);
  }

  List<DiscoveryRequest> requests() {
    return List.copyOf(requests);
  }

  List<Exchange> responses() {
    return List.copyOf(responses);
  }

  @Override
  public void close() throws InterruptedException {
    admin.stop(0);
    ads.shutdownNow();
    ads.awaitTermination(5, TimeUnit.SECONDS);
  }

  private void publish() {
    version++;
    ConfigSource viaAds =
        ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance()).build();
    Cluster probe =
        Cluster.newBuilder()
            .setName(service)
            .setType(Cluster.DiscoveryType.EDS)
            .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(viaAds))
            .setMetadata(portsMetadata(port))
            .build();
    List<Cluster> clusters =
        new java.util.ArrayList<>(
            extraClusters.keySet().stream()
                .sorted()
                .map(
                    name ->
                        Cluster.newBuilder()
                            .setName(name)
                            .setType(Cluster.DiscoveryType.EDS)
                            .setEdsClusterConfig(
                                Cluster.EdsClusterConfig.newBuilder().setEdsConfig(viaAds))
                            .build())
                .toList());
    clusters.add(probe);
    List<ClusterLoadAssignment> assignments =
        clusters.stream()
            .map(c -> ClusterLoadAssignment.newBuilder().setClusterName(c.getName()).build())
            .toList();
    HttpConnectionManager manager =
        HttpConnectionManager.newBuilder()
            .setRds(Rds.newBuilder().setConfigSource(viaAds).setRouteConfigName(service))
            .build();
    Listener listener =
        Listener.newBuilder()
            .setName(service)
            .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(manager)))
            .build();
    RouteConfiguration routes =
        RouteConfiguration.newBuilder()
            .setName(service)
            .addVirtualHosts(VirtualHost.newBuilder().setName(service).addDomains(service))
            .build();
    cache.setSnapshot(
        "mesh",
        Snapshot.create(
            clusters, assignments, List.of(listener), List.of(routes), List.of(), version()));
  }

  /** As the control plane writes it: {@code dev.firemesh.service: {service, ports: [...]}}. */
  private Metadata portsMetadata(int port) {
    Struct http =
        Struct.newBuilder()
            .putFields("name", Value.newBuilder().setStringValue("http").build())
            .putFields("port", Value.newBuilder().setNumberValue(port).build())
            .putFields("protocol", Value.newBuilder().setStringValue("http1").build())
            .build();
    return Metadata.newBuilder()
        .putFilterMetadata(
            ProbeService.PORTS_METADATA,
            Struct.newBuilder()
                .putFields("service", Value.newBuilder().setStringValue(service).build())
                .putFields(
                    "ports",
                    Value.newBuilder()
                        .setListValue(
                            ListValue.newBuilder()
                                .addValues(Value.newBuilder().setStructValue(http)))
                        .build())
                .build())
        .build();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        answer(exchange, 401, "{\"message\":\"bad token\"}");
        return;
      }
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = exchange.getRequestURI().getPath();
      switch (exchange.getRequestMethod() + " " + path) {
        case "POST /v1/apply" -> {
          Matcher matcher = PORT.matcher(body.replace("\\n", "\n"));
          if (!matcher.find()) {
            answer(exchange, 422, "{\"message\":\"no port\"}");
            return;
          }
          int next = Integer.parseInt(matcher.group(1));
          boolean unchanged;
          long answered;
          synchronized (this) {
            unchanged = next == port;
            if (!unchanged) {
              revision++;
              servePort(next);
            }
            answered = revision;
          }
          answer(exchange, 200, "{\"revision\":" + answered + ",\"unchanged\":" + unchanged + "}");
        }
        case "GET /v1/version" -> {
          long serving;
          synchronized (this) {
            serving = revision;
          }
          answer(exchange, 200, "{\"revision\":" + serving + ",\"xdsRevision\":" + serving + "}");
        }
        default -> {
          if (exchange.getRequestMethod().equals("DELETE")) {
            answer(exchange, 200, "{}");
          } else {
            answer(exchange, 404, "{\"message\":\"no such endpoint\"}");
          }
        }
      }
    }
  }

  private static void answer(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  static Path tokenFile(Path dir) throws IOException {
    Path file = dir.resolve("admin.token");
    Files.writeString(file, TOKEN + "\n");
    return file;
  }
}
