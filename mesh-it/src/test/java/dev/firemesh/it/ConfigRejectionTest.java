package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firemesh.api.registry.ServiceInstance;
import dev.firemesh.api.resource.Resource;
import dev.firemesh.api.resource.Route;
import dev.firemesh.api.resource.Service;
import dev.firemesh.identity.CertificateIssuer;
import dev.firemesh.identity.KeyPairs;
import dev.firemesh.identity.Pem;
import dev.firemesh.xds.server.ControlPlaneTls;
import dev.firemesh.xds.server.Nack;
import dev.firemesh.xds.server.NodeAuthentication;
import dev.firemesh.xds.server.XdsServer;
import dev.firemesh.xds.translate.MeshState;
import dev.firemesh.xds.translate.Meshes;
import dev.firemesh.xds.translate.XdsType;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configuration the sidecar cannot use is NACKed with the reason, and the sidecar process keeps
 * routing with the one before. Our control plane refuses such input at apply time, so the bad push
 * comes from an xDS server in this test (the real {@link XdsServer}, fed a mesh state that skipped
 * validation), as it could from any xDS control plane.
 */
class ConfigRejectionTest {
  @TempDir Path tmp;

  @Test
  void aConfigurationTheSidecarRefusesIsNackedAndTheLastGoodOneKeepsRouting() throws Exception {
    try (Closer closer = new Closer()) {
      // The control plane only enrols the sidecar and takes its registration here; xDS comes from
      // the test. The mesh's CA is one the test made and gives the control plane (as an operator
      // may), so that the test's xDS server can have a certificate the sidecar trusts.
      TestCa ca = new TestCa(tmp.resolve("ca"));
      ControlPlaneProcess control =
          closer.add(ControlPlaneProcess.start(tmp.resolve("control"), ca.controlPlaneOptions()));
      XdsServer xds =
          XdsServer.builder(new InetSocketAddress("127.0.0.1", 0))
              .authentication(ca.xdsAuthentication())
              .start();
      closer.add(xds);
      LocalApp one = closer.add(LocalApp.start("orders-1"));
      LocalApp two = closer.add(LocalApp.start("orders-2"));
      LocalApp gatewayApp = closer.add(LocalApp.start("gateway-1"));
      xds.update(state("x-account", "acc-[0-9]+", one.port()));

      SidecarProcess gateway =
          closer.add(
              SidecarProcess.start(
                  control.dataDir(),
                  tmp.resolve("sidecars"),
                  "gateway",
                  "gateway-1",
                  "128m",
                  List.of(
                      "--app-port",
                      Integer.toString(gatewayApp.port()),
                      "--xds",
                      "127.0.0.1:" + xds.port())));
      HttpClient client =
          HttpClient.newBuilder().proxy(ProxySelector.of(gateway.outbound())).build();
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> call(client, "x-account").body().equals("orders-1"));

      // Lookahead is not RE2: the sidecar's decoder refuses the route, the old one stays; had the
      // new one been taken, a call with x-account would match no route (404).
      xds.update(state("x-client", "(?=acc)acc-[0-9]+", one.port()));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  xds.node("gateway-1")
                      .flatMap(node -> node.type(XdsType.ROUTE).lastNack())
                      .isPresent());
      Nack nack = xds.node("gateway-1").orElseThrow().type(XdsType.ROUTE).lastNack().orElseThrow();
      assertThat(nack.message()).contains("safe_regex").contains("lookaround");
      for (int i = 0; i < 20; i++) {
        HttpResponse<String> response = call(client, "x-account");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("orders-1");
      }

      // The next good configuration is taken.
      xds.update(state("x-client", "acc-[0-9]+", two.port()));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> call(client, "x-client").body().equals("orders-2"));
      assertThat(call(client, "x-account").statusCode()).isEqualTo(404);
    }
  }

  /**
   * Orders, whose only route needs {@code header} to match {@code regex}, with one instance: the
   * app on {@code port} directly (no sidecar on that side; this test is about the caller's).
   */
  private static MeshState state(String header, String regex, int port) {
    Service orders = Meshes.service("orders");
    orders =
        new Service(
            orders.metadata(),
            new Service.Spec(
                List.of(new Service.Port("http", 8080, Service.Protocol.HTTP1)),
                orders.spec().subsets()));
    Route route =
        Meshes.route(
            "orders",
            Meshes.rule(
                "by-account",
                List.of(
                    new Route.Match(
                        new Route.PathMatch.Prefix("/"),
                        List.of(),
                        List.of(
                            new Route.HeaderMatch(
                                header, new Route.ValueMatch.Regex(regex), false)),
                        List.of())),
                List.of(new Route.Destination("", "", 1))));
    ServiceInstance instance =
        new ServiceInstance(
            "orders", "orders-" + port, "127.0.0.1", port, Map.of(ServiceInstance.VERSION, "v1"));
    return new MeshState(List.<Resource>of(orders, route), List.of(instance));
  }

  /** Calls orders with the account {@code acc-1} in {@code header}. */
  private static HttpResponse<String> call(HttpClient client, String header) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://orders/who")).header(header, "acc-1").build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A root and intermediate made by the test: the mesh's CA, and its xDS server's certificate. */
  private record TestCa(CertificateIssuer root, CertificateIssuer intermediate, Path dir) {
    TestCa(Path dir) throws Exception {
      this(newRoot(), dir);
    }

    private TestCa(CertificateIssuer root, Path dir) throws Exception {
      this(
          root,
          root.intermediate(
              KeyPairs.generate(), "CN=IT Intermediate,O=FireMesh", Instant.now(), DAYS_30),
          dir);
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("root.pem"), Pem.encodeCertificate(root.certificate()));
      Files.writeString(
          dir.resolve("intermediate.pem"), Pem.encodeCertificate(intermediate.certificate()));
      Files.writeString(
          dir.resolve("intermediate-key.pem"), Pem.encodePrivateKey(intermediate.privateKey()));
    }

    private static CertificateIssuer newRoot() {
      return CertificateIssuer.selfSignedRoot(
          KeyPairs.generate(), "CN=IT Root,O=FireMesh", Instant.now(), DAYS_30);
    }

    String[] controlPlaneOptions() {
      return new String[] {
        "--ca-root-cert", dir.resolve("root.pem").toString(),
        "--ca-intermediate-cert", dir.resolve("intermediate.pem").toString(),
        "--ca-intermediate-key", dir.resolve("intermediate-key.pem").toString()
      };
    }

    /** A server certificate for 127.0.0.1 from the intermediate; nodes must show an SVID. */
    NodeAuthentication xdsAuthentication() throws Exception {
      return ControlPlaneTls.nodeAuthentication(intermediate, root.certificate(), "firemesh.local");
    }
  }

  private static final Duration DAYS_30 = Duration.ofDays(30);
}
