package dev.firemesh.xds.server;

import static dev.firemesh.xds.translate.Meshes.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Status;
import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.api.resource.Config;
import dev.firemesh.api.resource.Metadata;
import dev.firemesh.api.resource.Resource;
import dev.firemesh.identity.CertificateIssuer;
import dev.firemesh.identity.KeyPairs;
import dev.firemesh.identity.WorkloadCredentials;
import dev.firemesh.identity.WorkloadSslContext;
import dev.firemesh.xds.tls.XdsTls;
import dev.firemesh.xds.translate.MeshState;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.runtime.v3.Runtime;
import io.envoyproxy.envoy.service.runtime.v3.RuntimeDiscoveryServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RTDS over TLS against real gRPC clients presenting SVIDs: an instance gets its own service's
 * config for its environment, region and instance, then each change of it; never another service's.
 */
class RuntimeDiscoveryTest {
  private static final String TRUST_DOMAIN = "bank.example";
  private static final Duration HOUR = Duration.ofHours(1);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static CertificateIssuer root;
  private static CertificateIssuer intermediate;

  private XdsServer xds;
  private final List<Rtds> clients = new ArrayList<>();

  @BeforeAll
  static void pki() {
    Instant now = Instant.now();
    root =
        CertificateIssuer.selfSignedRoot(KeyPairs.generate(), "CN=Root", now, Duration.ofDays(1));
    intermediate =
        root.intermediate(KeyPairs.generate(), "CN=Intermediate", now, Duration.ofDays(1));
  }

  @BeforeEach
  void start() throws Exception {
    xds =
        XdsServer.builder(new InetSocketAddress("127.0.0.1", 0))
            .authentication(
                ControlPlaneTls.nodeAuthentication(intermediate, root.certificate(), TRUST_DOMAIN))
            .start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (Rtds c : clients) {
      c.close();
    }
    xds.close();
  }

  @Test
  void anInstanceGetsItsLayersMergedThenEachChange() throws Exception {
    xds.update(mesh(config("orders-prod", "prod", "", "", Map.of("maxQuantity", 100L))), 3);
    Rtds orders = connect("orders-1", "orders", "eu", svc("prod", "orders"));
    orders.ask(List.of("firemesh.config"), "", "");

    DiscoveryResponse first = orders.next();
    JsonNode doc = document(first);
    assertThat(first.getVersionInfo())
        .isEqualTo(layer(first).getFieldsOrThrow("digest").getStringValue())
        .hasSize(64);
    assertThat(layer(first).getFieldsOrThrow("revision").getNumberValue()).isEqualTo(3.0);
    assertThat(doc.get("values").toString()).isEqualTo("{\"maxQuantity\":100}");
    assertThat(doc.get("environment").asText()).isEqualTo("prod");
    assertThat(doc.get("revision").asLong()).isEqualTo(3);
    orders.ask(List.of("firemesh.config"), first.getVersionInfo(), first.getNonce());

    // A change elsewhere pushes nothing; a change of its region's layer pushes the new document.
    xds.update(
        mesh(
            config("orders-prod", "prod", "", "", Map.of("maxQuantity", 100L)),
            config("orders-uat", "uat", "", "", Map.of("maxQuantity", 1L))),
        4);
    xds.update(
        mesh(
            config("orders-prod", "prod", "", "", Map.of("maxQuantity", 100L)),
            config("orders-uat", "uat", "", "", Map.of("maxQuantity", 1L)),
            config("orders-prod-eu", "prod", "eu", "", Map.of("limit", new BigDecimal("5.00")))),
        5);

    DiscoveryResponse second = orders.next();
    JsonNode updated = document(second);
    assertThat(updated.get("revision").asLong()).isEqualTo(5);
    // The decimal travels as written: the document is JSON text, not a Struct of doubles.
    assertThat(
            second
                .getResources(0)
                .unpack(Runtime.class)
                .getLayer()
                .getFieldsOrThrow("document")
                .getStringValue())
        .contains("\"values\":{\"limit\":5.00,\"maxQuantity\":100}");
    assertThat(updated.get("sources").get("limit").asText()).isEqualTo("Config/orders-prod-eu");
    assertThat(second.getNonce()).isNotEqualTo(first.getNonce());
  }

  @Test
  void otherNamesGetNothing() throws Exception {
    xds.update(mesh(config("orders-prod", "prod", "", "", Map.of("x", 1L))), 1);
    Rtds orders = connect("orders-1", "orders", "", svc("prod", "orders"));
    orders.ask(List.of("someone.else"), "", "");
    orders.ask(List.of("firemesh.config"), "", "");

    DiscoveryResponse response = orders.next();
    assertThat(response.getResourcesCount()).isEqualTo(1);
    assertThat(response.getResources(0).unpack(Runtime.class).getName())
        .isEqualTo("firemesh.config");
  }

  @Test
  void aNackIsCountedAndTheStreamCarriesOnWithTheNextChange() throws Exception {
    xds.update(mesh(config("orders-prod", "prod", "", "", Map.of("x", 1L))), 1);
    Rtds orders = connect("orders-1", "orders", "", svc("prod", "orders"));
    orders.ask(List.of("firemesh.config"), "", "");
    DiscoveryResponse first = orders.next();

    orders.nack(first.getNonce(), "maxQuantity: expected a whole number");
    await().atMost(Duration.ofSeconds(20)).until(() -> xds.configNacks().get("orders") != null);
    xds.update(mesh(config("orders-prod", "prod", "", "", Map.of("x", 2L))), 2);

    assertThat(document(orders.next()).get("values").get("x").asLong()).isEqualTo(2);
    assertThat(xds.configNacks()).isEqualTo(Map.of("orders", 1L));
    assertThat(xds.configMetricsText())
        .contains("firemesh_control_config_nacks_total{service=\"orders\"} 1");
  }

  @Test
  void aNodeAskingForAnotherServicesConfigIsRefused() throws Exception {
    xds.update(mesh(config("orders-prod", "prod", "", "", Map.of("x", 1L))), 1);
    Rtds impostor = connect("web-1", "orders", "", svc("prod", "web"));
    impostor.ask(List.of("firemesh.config"), "", "");

    Throwable error = impostor.error();
    assertThat(error).isInstanceOf(StatusRuntimeException.class);
    assertThat(((StatusRuntimeException) error).getStatus().getCode())
        .isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
    assertThat(impostor.responses).isEmpty();
  }

  private static MeshState mesh(Config... configs) {
    List<Resource> resources = new ArrayList<>(List.of(service("orders"), service("web")));
    resources.addAll(List.of(configs));
    return new MeshState(resources, List.of());
  }

  private static Config config(
      String name, String env, String region, String instance, Map<String, Object> values) {
    return new Config(
        new Metadata(name, Map.of()), new Config.Spec("orders", env, region, instance, values));
  }

  private static com.google.protobuf.Struct layer(DiscoveryResponse response)
      throws InvalidProtocolBufferException {
    return response.getResources(0).unpack(Runtime.class).getLayer();
  }

  private static JsonNode document(DiscoveryResponse response) throws Exception {
    Runtime runtime = response.getResources(0).unpack(Runtime.class);
    return JSON.readTree(runtime.getLayer().getFieldsOrThrow("document").getStringValue());
  }

  private Rtds connect(String nodeId, String cluster, String region, SpiffeId identity)
      throws Exception {
    WorkloadCredentials credentials = credentials(identity);
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", xds.port())
            .sslContext(XdsTls.client(WorkloadSslContext.following(() -> credentials)))
            .build();
    Node node =
        Node.newBuilder()
            .setId(nodeId)
            .setCluster(cluster)
            .setLocality(Locality.newBuilder().setRegion(region))
            .build();
    Rtds client = new Rtds(channel, node);
    clients.add(client);
    return client;
  }

  /** A raw RTDS stream: what the chassis's client does, one request at a time. */
  private static final class Rtds implements StreamObserver<DiscoveryResponse> {
    final ManagedChannel channel;
    final Node node;
    final BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
    final AtomicReference<Throwable> error = new AtomicReference<>();
    final StreamObserver<DiscoveryRequest> requests;
    boolean named;

    Rtds(ManagedChannel channel, Node node) {
      this.channel = channel;
      this.node = node;
      this.requests = RuntimeDiscoveryServiceGrpc.newStub(channel).streamRuntime(this);
    }

    void ask(List<String> names, String version, String nonce) {
      send(
          DiscoveryRequest.newBuilder()
              .addAllResourceNames(names)
              .setVersionInfo(version)
              .setResponseNonce(nonce));
    }

    void nack(String nonce, String message) {
      send(
          DiscoveryRequest.newBuilder()
              .addResourceNames("firemesh.config")
              .setResponseNonce(nonce)
              .setErrorDetail(Status.newBuilder().setCode(3).setMessage(message)));
    }

    private void send(DiscoveryRequest.Builder request) {
      request.setTypeUrl(RuntimeDiscovery.TYPE_URL);
      // Like Envoy with set_node_on_first_message_only: the server keeps the stream's node.
      if (!named) {
        request.setNode(node);
        named = true;
      }
      requests.onNext(request.build());
    }

    DiscoveryResponse next() throws InterruptedException {
      DiscoveryResponse response = responses.poll(20, TimeUnit.SECONDS);
      assertThat(response).as("a response within 20 s (error: %s)", error.get()).isNotNull();
      return response;
    }

    Throwable error() {
      await().atMost(Duration.ofSeconds(20)).until(() -> error.get() != null);
      return error.get();
    }

    @Override
    public void onNext(DiscoveryResponse response) {
      responses.add(response);
    }

    @Override
    public void onError(Throwable t) {
      error.set(t);
    }

    @Override
    public void onCompleted() {}

    void close() throws InterruptedException {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static SpiffeId svc(String env, String service) {
    return new SpiffeId(TRUST_DOMAIN, env, service);
  }

  private static WorkloadCredentials credentials(SpiffeId id) {
    KeyPair keys = KeyPairs.generate();
    X509Certificate leaf = intermediate.issueSvid(keys.getPublic(), id, Instant.now(), HOUR);
    return new WorkloadCredentials(
        id,
        keys.getPrivate(),
        List.of(leaf, intermediate.certificate()),
        List.of(root.certificate()));
  }
}
