package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firemesh.cli.client.AdminClient;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authorization with real processes: AuthorizationPolicies applied to the control plane reach the
 * orders instance's sidecar, which refuses what a DENY rule matches (however the path is spelt),
 * lets through and counts what a dry-run policy would deny, and a policy removed stops applying.
 * The callers are plaintext sidecars, so no caller has an identity here.
 */
class AuthorizationMeshTest {
  @TempDir Path tmp;

  private static final String MESH =
      """
      apiVersion: firemesh.dev/v1
      kind: Service
      metadata: {name: orders}
      spec:
        ports: [{name: http, port: 8080, protocol: http1}]
      ---
      apiVersion: firemesh.dev/v1
      kind: Service
      metadata: {name: gateway}
      spec:
        ports: [{name: http, port: 8080, protocol: http1}]
      ---
      apiVersion: firemesh.dev/v1
      kind: Service
      metadata: {name: risk}
      spec:
        ports: [{name: http, port: 8080, protocol: http1}]
      ---
      apiVersion: firemesh.dev/v1
      kind: AuthorizationPolicy
      metadata: {name: orders-from-gateway}
      spec:
        service: orders
        mode: dryRun
        rules: [{name: order-flow, from: {services: [gateway]}}]
      """;

  private static final String NO_ADMIN =
      """
      apiVersion: firemesh.dev/v1
      kind: AuthorizationPolicy
      metadata: {name: orders-no-admin}
      spec:
        service: orders
        action: DENY
        rules: [{to: {paths: [/orders/admin, /orders/admin/*]}}]
      """;

  @Test
  void aDenyRuleRefusesEverySpellingOfItsPathAndADryRunCountsWhatItWouldDeny() throws Exception {
    try (Closer resources = new Closer()) {
      ControlPlaneProcess control = ControlPlaneProcess.start(tmp.resolve("control"));
      resources.add(control);
      AdminClient admin = control.client();
      admin.post("/v1/apply", ChildProcesses.applyBody("mesh.yaml", MESH + "---\n" + NO_ADMIN));

      LocalApp ordersApp = resources.add(LocalApp.start("orders"));
      LocalApp gatewayApp = resources.add(LocalApp.start("gateway"));
      Path work = tmp.resolve("sidecars");
      LocalApp riskApp = resources.add(LocalApp.start("risk"));
      List<SidecarProcess> sidecars =
          resources
              .add(new Fleet())
              .startTogether(
                  List.of(
                      Fleet.sidecar(
                          control.dataDir(), work, "orders", "orders-1", ordersApp.port()),
                      Fleet.sidecar(
                          control.dataDir(), work, "gateway", "gateway-1", gatewayApp.port()),
                      Fleet.sidecar(control.dataDir(), work, "risk", "risk-1", riskApp.port())));
      SidecarProcess orders = sidecars.get(0);
      SidecarProcess gateway = sidecars.get(1);
      SidecarProcess risk = sidecars.get(2);
      HttpClient client = through(gateway);
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> get(client, "/orders/7").statusCode() == 200);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> get(client, "/orders/admin").statusCode() == 403);

      for (String path :
          List.of(
              "/orders/admin/users", "/ORDERS/Admin", "/orders/x/../admin", "/orders/%61dmin")) {
        HttpResponse<String> refused = get(client, path);
        assertThat(refused.statusCode()).as(path).isEqualTo(403);
        assertThat(refused.body()).contains("access denied by authorization policy");
      }
      assertThat(get(client, "/orders/administrators").statusCode()).isEqualTo(200);

      // risk is not among the dry-run policy's callers: served all the same, and counted.
      HttpClient fromRisk = through(risk);
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> get(fromRisk, "/orders/7").statusCode() == 200);

      String stats = admin(orders, "/stats/prometheus");
      assertThat(stats)
          .contains(
              "firemesh_proxy_authz_decisions_total{policy=\"orders-no-admin\",decision=\"deny\"}")
          .containsPattern(
              "firemesh_proxy_authz_decisions_total\\{policy=\"orders-from-gateway\","
                  + "decision=\"dry_run_deny\"} [1-9]");

      // Deleting the DENY policy lifts it on the running sidecar.
      admin.delete("/v1/resources/AuthorizationPolicy/orders-no-admin");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> get(client, "/orders/admin").statusCode() == 200);
    }
  }

  private static HttpClient through(SidecarProcess sidecar) {
    return HttpClient.newBuilder()
        .proxy(ProxySelector.of(sidecar.outbound()))
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  private static HttpResponse<String> get(HttpClient client, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://orders" + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String admin(SidecarProcess sidecar, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + sidecar.admin().getPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
