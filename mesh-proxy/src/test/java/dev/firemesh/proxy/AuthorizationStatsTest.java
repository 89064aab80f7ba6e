package dev.firemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.api.codec.ResourceCodec;
import dev.firemesh.api.resource.AuthorizationPolicy;
import dev.firemesh.proxy.testing.FirstRouteRouter;
import dev.firemesh.proxy.testing.MeshConfigs;
import dev.firemesh.proxy.testing.RawHttp;
import dev.firemesh.proxy.testing.SidecarPair;
import dev.firemesh.proxy.testing.TestApp;
import dev.firemesh.traffic.authz.AuthorizationRules;
import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.InboundPolicy;
import dev.firemesh.traffic.config.ServicePort;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A sidecar's authorization decisions in {@code /stats} and {@code /stats/prometheus}, with
 * plaintext callers (no identity): a dry-run policy lets its would-be denials through and counts
 * them, an enforced DENY rule answers 403, and the rest is allowed by default.
 */
class AuthorizationStatsTest {
  private TestApp app;
  private Sidecar orders;

  private static final String POLICIES =
      """
      apiVersion: firemesh.dev/v1
      kind: AuthorizationPolicy
      metadata: {name: gateway-only}
      spec: {service: orders, mode: dryRun, rules: [{from: {services: [gateway]}}]}
      ---
      apiVersion: firemesh.dev/v1
      kind: AuthorizationPolicy
      metadata: {name: no-admin}
      spec: {service: orders, action: DENY, rules: [{to: {paths: [/echo/admin/*]}}]}
      """;

  @BeforeEach
  void start() throws Exception {
    app = new TestApp().start();
    orders =
        SidecarPair.ephemeral(
                Sidecar.builder()
                    .router(new FirstRouteRouter())
                    .localAppPort(app.port())
                    .service("orders"))
            .build()
            .start();
    DataPlaneConfig base =
        MeshConfigs.builder()
            .ports("orders", new ServicePort("http", 8080, ClusterConfig.Protocol.HTTP1))
            .build("callee");
    AuthorizationRules rules =
        AuthorizationRules.compile(
            ResourceCodec.parse("p.yaml", POLICIES).stream()
                .map(p -> (AuthorizationPolicy) p.resource())
                .toList());
    orders.apply(
        new DataPlaneConfig(
            "callee-1",
            base.services(),
            base.clusters(),
            base.ports(),
            Map.of(
                "orders", new InboundPolicy(InboundPolicy.MtlsMode.PERMISSIVE, List.of(), rules))));
  }

  @AfterEach
  void stop() {
    orders.close();
    app.close();
  }

  private int get(String path) throws Exception {
    try (RawHttp http = RawHttp.connect(orders.inboundAddress())) {
      return http.send("GET " + path + " HTTP/1.1\r\nhost: orders\r\n\r\n").read().status();
    }
  }

  private String admin(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + orders.adminAddress().getPort() + path);
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client
          .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
          .body();
    }
  }

  @Test
  void decisionsAreCountedByPolicyAndDecision() throws Exception {
    assertThat(get("/echo/orders")).as("a dry-run denial passes").isEqualTo(200);
    assertThat(get("/echo/orders")).isEqualTo(200);
    assertThat(get("/echo/admin/users")).isEqualTo(403);

    assertThat(admin("/stats"))
        .contains("authz.gateway-only.dry_run_deny 2")
        .contains("authz.no-admin.deny 1")
        .contains("authz.default.allow 2");
    assertThat(admin("/stats/prometheus"))
        .contains("# TYPE firemesh_proxy_authz_decisions_total counter")
        .contains(
            "firemesh_proxy_authz_decisions_total{policy=\"gateway-only\",decision=\"dry_run_deny\"} 2")
        .contains("firemesh_proxy_authz_decisions_total{policy=\"no-admin\",decision=\"deny\"} 1")
        .contains("firemesh_proxy_authz_decisions_total{policy=\"default\",decision=\"allow\"} 2");
    assertThat(admin("/config_dump")).contains("\"gateway-only\"");
  }
}
