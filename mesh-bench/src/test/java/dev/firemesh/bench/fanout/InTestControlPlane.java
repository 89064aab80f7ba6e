package dev.firemesh.bench.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.identity.CertificateIssuer;
import dev.firemesh.identity.CertificateRequestRefused;
import dev.firemesh.identity.CertificateRequests;
import dev.firemesh.identity.KeyPairs;
import dev.firemesh.identity.Pem;
import dev.firemesh.identity.WorkloadCredentials;
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
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * A stand-in for the control plane, on loopback ephemeral ports: an ADS server (java-control-plane,
 * one snapshot for every node) that serves the mesh shape FireMesh serves for each Service (a
 * Listener whose HTTP connection manager asks for a RouteConfiguration over ADS, an EDS Cluster
 * with the service's ports in its metadata, a ClusterLoadAssignment), and a tiny admin API that
 * takes the probe Service's YAML on {@code POST /v1/apply} and serves its port. Records every
 * request and response the ADS server sees.
 *
 * <p>{@link #withTls} makes it guard ADS as the control plane does: TLS that requires a client
 * certificate from its own CA, and a stream served only to a node whose {@code cluster} is the
 * service its certificate names (else {@code PERMISSION_DENIED}); its admin API then issues one-use
 * join tokens ({@code POST /v1/tokens}) and SVIDs for them ({@code POST /v1/svid}). It records
 * which service each node's certificate proved and on which connection its stream came.
 */
final class InTestControlPlane implements AutoCloseable {
  static final String TOKEN = "in-test-token";
  static final String TRUST_DOMAIN = "bench.test";
  private static final Pattern PORT = Pattern.compile("port: (\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration LIFETIME = Duration.ofHours(1);

  /** One request or response as the server saw it. */
  record Exchange(String node, String typeUrl, String version, String nonce, boolean nack) {}

  private final String service;
  private final SimpleCache<String> cache = new SimpleCache<>(node -> "mesh");
  private final Server ads;
  private final HttpServer admin;
  private final Queue<DiscoveryRequest> requests = new ConcurrentLinkedQueue<>();
  private final Queue<Exchange> responses = new ConcurrentLinkedQueue<>();
  private final Map<String, Integer> extraClusters = new ConcurrentHashMap<>();
  private final CertificateIssuer ca;
  private final Map<String, SpiffeId> joinTokens = new ConcurrentHashMap<>();
  private final Queue<SpiffeId> enrolled = new ConcurrentLinkedQueue<>();
  private final Map<String, Certified> certified = new ConcurrentHashMap<>();
  private int version;
  private int port;
  private long revision;

  /** What a node's stream proved: the service its certificate names, the connection it came on. */
  record Certified(String service, SocketAddress connection) {}

  /** Plaintext ADS, no enrolment. */
  InTestControlPlane(String service) throws IOException {
    this(service, false);
  }

  /** ADS over TLS for nodes with an SVID of this stand-in's CA, each for its own service. */
  static InTestControlPlane withTls(String service) throws IOException {
    return new InTestControlPlane(service, true);
  }

  private InTestControlPlane(String service, boolean tls) throws IOException {
    this.service = service;
    this.ca =
        tls
            ? CertificateIssuer.selfSignedRoot(
                KeyPairs.generate(), "CN=In-test Root CA", Instant.now(), LIFETIME)
            : null;
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
    ServerServiceDefinition discovery =
        new V3DiscoveryServer(callbacks, cache).getAggregatedDiscoveryServiceImpl().bindService();
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
    if (tls) {
      builder
          .sslContext(serverTls())
          .addService(ServerInterceptors.intercept(discovery, new OwnServiceOnly()));
    } else {
      builder.addService(discovery);
    }
    this.ads = builder.build().start();
    this.admin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    admin.createContext("/", this::handle);
    admin.start();
  }

  /** An SVID of this stand-in's CA for {@code service}, without enrolling. */
  WorkloadCredentials svid(String service) {
    KeyPair keys = KeyPairs.generate();
    SpiffeId identity = new SpiffeId(TRUST_DOMAIN, "test", service);
    return new WorkloadCredentials(
        identity,
        keys.getPrivate(),
        List.of(ca.issueSvid(keys.getPublic(), identity, Instant.now(), LIFETIME)),
        List.of(ca.certificate()));
  }

  /** The identities issued on join tokens, in order. */
  List<SpiffeId> enrolled() {
    return List.copyOf(enrolled);
  }

  /** What each node's stream proved, by node id (with TLS only). */
  Map<String, Certified> certified() {
    return Map.copyOf(certified);
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
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      String route = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
      if (ca != null && route.equals("GET /v1/trust-domain")) {
        answer(exchange, 200, "{\"trustDomain\":\"" + TRUST_DOMAIN + "\"}");
        return;
      }
      if (ca != null && route.equals("POST /v1/svid")) {
        issueSvid(exchange, authorization);
        return;
      }
      if (!("Bearer " + TOKEN).equals(authorization)) {
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
        case "POST /v1/tokens" -> {
          if (ca == null) {
            answer(exchange, 404, "{\"message\":\"no CA\"}");
            return;
          }
          JsonNode ask = JSON.readTree(body);
          String token = "fmjt_" + UUID.randomUUID();
          joinTokens.put(
              token,
              new SpiffeId(TRUST_DOMAIN, ask.path("env").asText(), ask.path("service").asText()));
          answer(exchange, 200, JSON.createObjectNode().put("token", token).toString());
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

  /** A join token's one use: the request must ask for the token's identity. */
  private void issueSvid(HttpExchange exchange, String authorization) throws IOException {
    String prefix = "JoinToken ";
    SpiffeId allowed =
        authorization != null && authorization.startsWith(prefix)
            ? joinTokens.remove(authorization.substring(prefix.length()))
            : null;
    if (allowed == null) {
      answer(exchange, 401, "{\"message\":\"no such join token\"}");
      return;
    }
    CertificateRequests.CertificateRequest request;
    try {
      request =
          CertificateRequests.read(
              Pem.decodeCertificateRequest(
                  JSON.readTree(exchange.getRequestBody()).path("csr").asText()));
    } catch (CertificateRequestRefused | IllegalArgumentException e) {
      answer(exchange, 400, JSON.createObjectNode().put("message", e.getMessage()).toString());
      return;
    }
    if (!request.identity().equals(allowed)) {
      answer(exchange, 403, "{\"message\":\"identity-mismatch\"}");
      return;
    }
    enrolled.add(allowed);
    X509Certificate leaf =
        ca.issueSvid(request.publicKey(), request.identity(), Instant.now(), LIFETIME);
    answer(
        exchange,
        200,
        JSON.createObjectNode()
            .put("spiffeId", allowed.toString())
            .put("certificateChain", Pem.encodeCertificate(leaf))
            .put("trustBundle", Pem.encodeCertificate(ca.certificate()))
            .toString());
  }

  /** The ADS server's certificate, for the loopback address the fleet dials. */
  private SslContext serverTls() throws SSLException {
    KeyPair keys = KeyPairs.generate();
    X509Certificate certificate =
        ca.issueServerCertificate(
            keys.getPublic(),
            List.of("localhost"),
            List.of(InetAddress.getLoopbackAddress()),
            Instant.now(),
            LIFETIME);
    return GrpcSslContexts.configure(SslContextBuilder.forServer(keys.getPrivate(), certificate))
        .trustManager(ca.certificate())
        .clientAuth(ClientAuth.REQUIRE)
        .build();
  }

  /** The control plane's rule: a node is served only as the service its certificate names. */
  private final class OwnServiceOnly implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, io.grpc.Metadata headers, ServerCallHandler<Q, R> next) {
      SocketAddress connection = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
      String proven = provenService(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
      return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
          next.startCall(call, headers)) {
        private boolean refused;

        @Override
        public void onMessage(Q message) {
          if (refused) {
            return;
          }
          if (message instanceof DiscoveryRequest request && !request.getNode().getId().isEmpty()) {
            if (!request.getNode().getCluster().equals(proven)) {
              refused = true;
              call.close(
                  Status.PERMISSION_DENIED.withDescription("certificate proves " + proven),
                  new io.grpc.Metadata());
              return;
            }
            certified.put(request.getNode().getId(), new Certified(proven, connection));
          }
          super.onMessage(message);
        }
      };
    }

    private static String provenService(SSLSession session) {
      try {
        X509Certificate leaf = (X509Certificate) session.getPeerCertificates()[0];
        Collection<List<?>> names = leaf.getSubjectAlternativeNames();
        for (List<?> name : names == null ? List.<List<?>>of() : names) {
          Optional<SpiffeId> id = SpiffeId.parse(String.valueOf(name.get(1)));
          if (id.isPresent()) {
            return id.get().service();
          }
        }
        throw new IllegalStateException("the client certificate names no workload");
      } catch (SSLPeerUnverifiedException | CertificateParsingException e) {
        throw new IllegalStateException("no client certificate", e);
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
