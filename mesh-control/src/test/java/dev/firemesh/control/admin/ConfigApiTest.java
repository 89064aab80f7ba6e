package dev.firemesh.control.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Value;
import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.control.ControlPlane;
import dev.firemesh.control.ControlPlaneFiles;
import dev.firemesh.control.ca.CertificateAuthority;
import dev.firemesh.identity.KeyPairs;
import dev.firemesh.identity.Pem;
import dev.firemesh.xds.tls.XdsTls;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.runtime.v3.Runtime;
import io.envoyproxy.envoy.service.runtime.v3.RuntimeDiscoveryServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config schemas and effective config against a real control plane (embedded PostgreSQL, HTTPS and
 * xDS over TLS on loopback): a service publishes its schema with its SVID, apply refuses values it
 * could not bind with file, line and field, the effective config shows where each value came from,
 * and a change reaches the instance over RTDS.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigApiTest {
  private static final ObjectMapper JSON = AdminJson.mapper();
  private static final String SCHEMA =
      """
      {"service": "orders", "root": {"type": "object", "fields": {
        "maxQuantity": {"type": "integer", "min": 1, "max": 1000000},
        "maxNotional": {"type": "decimal", "required": true},
        "timeout": {"type": "duration", "default": "250ms"},
        "apiKey": {"type": "secret"}
      }}}
      """;
  private static final String SERVICE =
      """
      apiVersion: firemesh.dev/v1
      kind: Service
      metadata: {name: orders}
      spec:
        ports:
          - {name: http, port: 8080, protocol: http1}
      """;
  private static final String CONFIG =
      """
      apiVersion: firemesh.dev/v1
      kind: Config
      metadata: {name: orders-prod}
      spec:
        service: orders
        environment: prod
        values:
          maxQuantity: %s
      """;

  @TempDir static Path dataDir;
  static ControlPlane plane;
  static List<X509Certificate> roots;
  static HttpClient operator;
  static HttpClient orders;
  static HttpClient risk;
  static CertificateAuthority.IssuedSvid ordersSvid;
  static KeyPair ordersKeys;

  record Reply(int status, JsonNode body) {}

  @BeforeAll
  static void start() throws Exception {
    plane = ControlPlane.start(ControlPlane.Options.defaults(dataDir).withPorts(0, 0));
    roots =
        Pem.decodeCertificates(Files.readString(dataDir.resolve(ControlPlaneFiles.TRUST_BUNDLE)));
    operator = HttpClient.newBuilder().sslContext(TestCa.context(roots, null)).build();
    ordersKeys = KeyPairs.generate();
    ordersSvid =
        plane
            .certificateAuthority()
            .issue(ordersKeys.getPublic(), new SpiffeId("firemesh.local", "prod", "orders"));
    orders = workload(ordersKeys, ordersSvid);
    KeyPair riskKeys = KeyPairs.generate();
    risk =
        workload(
            riskKeys,
            plane
                .certificateAuthority()
                .issue(riskKeys.getPublic(), new SpiffeId("firemesh.local", "prod", "risk")));
  }

  @AfterAll
  static void stop() {
    plane.close();
  }

  private static HttpClient workload(KeyPair keys, CertificateAuthority.IssuedSvid svid) {
    return HttpClient.newBuilder()
        .sslContext(TestCa.context(roots, new TestCa.Credential(keys, svid.chain())))
        .build();
  }

  private static Reply call(HttpClient client, String method, String path, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(plane.adminUrl() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (client == operator) {
      request.header("Authorization", "Bearer " + plane.adminToken());
    }
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), JSON.readTree(response.body()));
  }

  private static Reply apply(String... documents) throws Exception {
    ObjectNode body = JSON.createObjectNode();
    for (int i = 0; i < documents.length; i++) {
      body.withArray("files")
          .addObject()
          .put("name", "doc" + i + ".yaml")
          .put("content", documents[i]);
    }
    return call(operator, "POST", "/v1/apply", body.toString());
  }

  @Test
  @Order(1)
  void withoutASchemaAConfigIsAcceptedWithAWarning() throws Exception {
    Reply applied = apply(SERVICE, CONFIG.formatted("2000000"));

    assertThat(applied.status()).as(applied.body().toString()).isEqualTo(200);
    assertThat(applied.body().path("warnings").get(0).asText())
        .contains("Config/orders-prod", "published no config schema");
  }

  @Test
  @Order(2)
  void aServicePublishesItsOwnSchemaAndHearsWhatStoredConfigsBreak() throws Exception {
    assertThat(call(risk, "PUT", "/v1/config-schemas/orders", SCHEMA).status()).isEqualTo(403);

    Reply published = call(orders, "PUT", "/v1/config-schemas/orders", SCHEMA);

    assertThat(published.status()).as(published.body().toString()).isEqualTo(200);
    assertThat(published.body().path("publishedBy").asText())
        .isEqualTo("workload:spiffe://firemesh.local/env/prod/svc/orders");
    JsonNode conflict = published.body().path("conflicts").get(0);
    assertThat(conflict.path("config").asText()).isEqualTo("Config/orders-prod");
    assertThat(conflict.path("field").asText()).isEqualTo("spec.values.maxQuantity");
    Reply schema = call(operator, "GET", "/v1/config-schemas/orders", null);
    assertThat(schema.status()).isEqualTo(200);
    assertThat(schema.body().path("schema").path("root").path("fields").path("maxQuantity"))
        .isEqualTo(
            JSON.readTree("{\"type\":\"integer\",\"required\":false,\"min\":1,\"max\":1000000}"));
  }

  @Test
  @Order(3)
  void aMalformedSchemaIsRefusedNamingThePath() throws Exception {
    Reply refused =
        call(
            orders,
            "PUT",
            "/v1/config-schemas/orders",
            "{\"service\":\"orders\",\"root\":{\"type\":\"object\",\"fields\":{\"x\":{\"type\":\"integer\",\"min\":\"low\"}}}}");

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().toString()).contains("root.fields.x.min");
  }

  @Test
  @Order(4)
  void applyRefusesAValueTheServiceCouldNotBindWithFileLineAndField() throws Exception {
    long head = call(operator, "GET", "/v1/version", null).body().path("revision").asLong();

    Reply refused = apply(CONFIG.formatted("\"many\""));

    assertThat(refused.status()).isEqualTo(422);
    JsonNode problem = refused.body().path("detail").path("problems").get(0);
    assertThat(problem.path("file").asText()).isEqualTo("doc0.yaml");
    assertThat(problem.path("line").asInt()).isEqualTo(8);
    assertThat(problem.path("column").asInt()).isEqualTo(18);
    assertThat(problem.path("field").asText()).isEqualTo("spec.values.maxQuantity");
    assertThat(call(operator, "GET", "/v1/version", null).body().path("revision").asLong())
        .isEqualTo(head);
  }

  @Test
  @Order(5)
  void theEffectiveConfigShowsEachValuesSourceDefaultsAndWhatIsMissing() throws Exception {
    assertThat(apply(CONFIG.formatted("500")).status()).isEqualTo(200);

    Reply effective = call(operator, "GET", "/v1/config/orders?env=prod&instance=orders-1", null);

    assertThat(effective.status()).as(effective.body().toString()).isEqualTo(200);
    assertThat(effective.body().path("values").path("maxQuantity").asLong()).isEqualTo(500);
    assertThat(effective.body().path("sources").path("maxQuantity").asText())
        .isEqualTo("Config/orders-prod");
    assertThat(effective.body().path("sources").path("timeout").asText()).isEqualTo("default");
    assertThat(effective.body().path("missing").get(0).asText()).isEqualTo("maxNotional");
  }

  @Test
  @Order(6)
  void anInstanceGetsItsConfigOverRtdsAndEachChange() throws Exception {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", plane.xdsPort())
            .sslContext(
                XdsTls.client(
                    TestCa.context(roots, new TestCa.Credential(ordersKeys, ordersSvid.chain()))))
            .build();
    try {
      BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
      StreamObserver<DiscoveryRequest> requests =
          RuntimeDiscoveryServiceGrpc.newStub(channel)
              .streamRuntime(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(DiscoveryResponse value) {
                      responses.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {}
                  });
      requests.onNext(
          DiscoveryRequest.newBuilder()
              .setNode(Node.newBuilder().setId("orders-1").setCluster("orders"))
              .setTypeUrl("type.googleapis.com/envoy.service.runtime.v3.Runtime")
              .addResourceNames("firemesh.config")
              .build());
      DiscoveryResponse first = responses.poll(30, TimeUnit.SECONDS);
      assertThat(first).isNotNull();
      assertThat(document(first)).contains("\"maxQuantity\":500");
      requests.onNext(
          DiscoveryRequest.newBuilder()
              .setTypeUrl("type.googleapis.com/envoy.service.runtime.v3.Runtime")
              .addResourceNames("firemesh.config")
              .setVersionInfo(first.getVersionInfo())
              .setResponseNonce(first.getNonce())
              .build());

      assertThat(apply(CONFIG.formatted("750")).status()).isEqualTo(200);

      DiscoveryResponse second = responses.poll(30, TimeUnit.SECONDS);
      assertThat(second).isNotNull();
      assertThat(document(second)).contains("\"maxQuantity\":750");
      requests.onCompleted();
    } finally {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static String document(DiscoveryResponse response) throws Exception {
    Value document =
        response.getResources(0).unpack(Runtime.class).getLayer().getFieldsOrThrow("document");
    return document.getStringValue();
  }
}
