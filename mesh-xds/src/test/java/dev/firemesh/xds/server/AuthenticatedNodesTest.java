package dev.firemesh.xds.server;

import static dev.firemesh.xds.translate.Meshes.instance;
import static dev.firemesh.xds.translate.Meshes.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.identity.CertificateIssuer;
import dev.firemesh.identity.KeyPairs;
import dev.firemesh.identity.WorkloadCredentials;
import dev.firemesh.identity.WorkloadSslContext;
import dev.firemesh.xds.client.AdsClient;
import dev.firemesh.xds.translate.MeshState;
import dev.firemesh.xds.translate.NodeIdentity;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The xDS server with node authentication, against real TLS clients: only a node that presents an
 * SVID of the mesh is served, and only the configuration of the service its SVID names.
 */
class AuthenticatedNodesTest {
  private static final String TRUST_DOMAIN = "bank.example";
  private static final Duration HOUR = Duration.ofHours(1);
  // Long enough to be sure a refused node got nothing, while an honest one beside it did.
  private static final Duration SETTLE = Duration.ofSeconds(2);

  private static CertificateIssuer root;
  private static CertificateIssuer intermediate;

  private XdsServer xds;
  private final List<AdsClient> clients = new ArrayList<>();

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
    xds.update(
        new MeshState(
            List.of(service("web"), service("orders")),
            List.of(instance("orders", "orders-1", 7001, "v1", "a"))));
  }

  @AfterEach
  void stop() {
    clients.forEach(AdsClient::close);
    xds.close();
  }

  @Test
  void aNodeWhoseSvidNamesItsServiceIsServedAndShownWithItsIdentity() {
    AdsClient web = connect("web-1", "web", credentials(intermediate, svc("web")));

    await().atMost(Duration.ofSeconds(20)).until(() -> web.config().isPresent());
    assertThat(xds.node("web-1").flatMap(NodeStatus::identity))
        .contains("spiffe://bank.example/env/prod/svc/web");
  }

  @Test
  void aNodeAskingForAnotherServicesConfigurationIsRefused() {
    WorkloadCredentials web = credentials(intermediate, svc("web"));
    AdsClient impostor = connect("impostor-1", "orders", web);
    AdsClient honest = connect("honest-1", "web", web);

    await().atMost(Duration.ofSeconds(20)).until(() -> honest.config().isPresent());
    assertRefused(impostor, "impostor-1");
  }

  @Test
  void aNodeWithoutACertificateIsRefused() {
    AdsClient plaintext =
        track(
            AdsClient.builder()
                .server("127.0.0.1", xds.port())
                .node(new NodeIdentity("plain-1", "web", "", ""))
                .start());

    assertRefused(plaintext, "plain-1");
  }

  @Test
  void aCertificateFromAnotherAuthorityIsRefused() {
    CertificateIssuer stranger =
        CertificateIssuer.selfSignedRoot(
            KeyPairs.generate(), "CN=Root", Instant.now(), Duration.ofDays(1));
    // Its bundle trusts the mesh's root, so the client side of the handshake is satisfied.
    KeyPair keys = KeyPairs.generate();
    X509Certificate leaf = stranger.issueSvid(keys.getPublic(), svc("web"), Instant.now(), HOUR);
    WorkloadCredentials forged =
        new WorkloadCredentials(
            svc("web"), keys.getPrivate(), List.of(leaf), List.of(root.certificate()));

    assertRefused(connect("forged-1", "web", forged), "forged-1");
  }

  @Test
  void anOperatorsCertificateIsNotAWorkloadsAndIsRefused() {
    KeyPair keys = KeyPairs.generate();
    X509Certificate operator =
        intermediate.issueClientCertificate(
            keys.getPublic(), "spiffe://bank.example/operator/alice", Instant.now(), HOUR);
    WorkloadCredentials alice =
        new WorkloadCredentials(
            svc("web"),
            keys.getPrivate(),
            List.of(operator, intermediate.certificate()),
            List.of(root.certificate()));

    assertRefused(connect("alice-1", "web", alice), "alice-1");
  }

  private void assertRefused(AdsClient client, String nodeId) {
    // The control is a node served in the same time: refusal, not slowness, is what keeps these
    // ones without configuration.
    AdsClient control = connect("control-" + nodeId, "web", credentials(intermediate, svc("web")));
    await().atMost(Duration.ofSeconds(20)).until(() -> control.config().isPresent());
    await().pollDelay(SETTLE).atMost(SETTLE.multipliedBy(2)).until(() -> true);
    assertThat(client.config()).isEmpty();
    assertThat(client.status().connected()).isFalse();
    assertThat(xds.node(nodeId)).isEmpty();
  }

  private AdsClient connect(String nodeId, String service, WorkloadCredentials credentials) {
    return track(
        AdsClient.builder()
            .server("127.0.0.1", xds.port())
            .node(new NodeIdentity(nodeId, service, "", ""))
            .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
            .tls(WorkloadSslContext.following(() -> credentials))
            .start());
  }

  private AdsClient track(AdsClient client) {
    clients.add(client);
    return client;
  }

  private static SpiffeId svc(String service) {
    return new SpiffeId(TRUST_DOMAIN, "prod", service);
  }

  private static WorkloadCredentials credentials(CertificateIssuer issuer, SpiffeId id) {
    KeyPair keys = KeyPairs.generate();
    X509Certificate leaf = issuer.issueSvid(keys.getPublic(), id, Instant.now(), HOUR);
    return new WorkloadCredentials(
        id, keys.getPrivate(), List.of(leaf, issuer.certificate()), List.of(root.certificate()));
  }
}
