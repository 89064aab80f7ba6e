package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.cli.client.AdminClient;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole data path with real processes: a caller's request to {@code http://orders/...} goes
 * through the caller's sidecar, is routed by the control plane's weighted canary route to one of
 * the orders instances' sidecars, and reaches that instance's app. When the control plane goes
 * away, the sidecars keep serving with their last configuration.
 */
class SidecarMeshTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void callsFlowThroughTwoSidecarsAlongTheCanaryRoute() throws Exception {
    try (Closer resources = new Closer()) {
      ControlPlaneProcess control = ControlPlaneProcess.start(tmp.resolve("control"));
      resources.add(control);
      AdminClient admin = control.client();
      admin.post(
          "/v1/apply",
          files(
              """
              apiVersion: firemesh.dev/v1
              kind: Service
              metadata: {name: orders}
              spec:
                ports: [{name: http, port: 8080, protocol: http1}]
                subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
              ---
              apiVersion: firemesh.dev/v1
              kind: Service
              metadata: {name: gateway}
              spec:
                ports: [{name: http, port: 8080, protocol: http1}]
              ---
              apiVersion: firemesh.dev/v1
              kind: Route
              metadata: {name: orders}
              spec:
                service: orders
                rules:
                  - match: [{headers: [{name: x-canary, exact: always}]}]
                    destinations: [{subset: v2}]
                  - destinations: [{subset: v1, weight: 80}, {subset: v2, weight: 20}]
              """));

      LocalApp v1 = resources.add(LocalApp.start("orders-v1"));
      LocalApp v2 = resources.add(LocalApp.start("orders-v2"));
      LocalApp gatewayApp = resources.add(LocalApp.start("gateway"));
      Path work = tmp.resolve("sidecars");
      SidecarProcess gateway =
          resources
              .add(new Fleet())
              .startTogether(
                  List.of(
                      Fleet.sidecar(
                          control.dataDir(), work, "gateway", "gateway-1", gatewayApp.port()),
                      Fleet.sidecar(
                          control.dataDir(), work, "orders", "orders-v1", v1.port(), "version=v1"),
                      Fleet.sidecar(
                          control.dataDir(), work, "orders", "orders-v2", v2.port(), "version=v2")))
              .getFirst();

      // The gateway app uses its sidecar as its HTTP proxy and calls orders by name.
      HttpClient viaSidecar =
          HttpClient.newBuilder().proxy(ProxySelector.of(gateway.outbound())).build();
      Fleet.awaitRouting(gateway, "http://orders/who", List.of("orders-v1", "orders-v2"));

      Map<String, Integer> counts = new HashMap<>();
      int calls = 500;
      for (int i = 0; i < calls; i++) {
        HttpResponse<String> response = call(viaSidecar, Map.of());
        assertThat(response.statusCode()).isEqualTo(200);
        counts.merge(response.body(), 1, Integer::sum);
      }
      double sigma = Math.sqrt(calls * 0.8 * 0.2);
      assertThat(counts.getOrDefault("orders-v1", 0))
          .isBetween((int) (400 - 5 * sigma), (int) (400 + 5 * sigma));
      assertThat(counts.getOrDefault("orders-v1", 0) + counts.getOrDefault("orders-v2", 0))
          .isEqualTo(calls);
      for (int i = 0; i < 20; i++) {
        assertThat(call(viaSidecar, Map.of("x-canary", "always")).body()).isEqualTo("orders-v2");
      }
      HttpResponse<String> unknown =
          viaSidecar.send(
              HttpRequest.newBuilder(URI.create("http://no-such-service/x")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(unknown.statusCode()).isEqualTo(404);

      // Fail static: with the control plane gone, the last configuration keeps serving.
      control.close();
      for (int i = 0; i < 20; i++) {
        assertThat(call(viaSidecar, Map.of("x-canary", "always")).body()).isEqualTo("orders-v2");
      }
    }
  }

  private static HttpResponse<String> call(HttpClient client, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://orders/who"));
    headers.forEach(request::header);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static ObjectNode files(String yaml) {
    return ChildProcesses.applyBody("orders.yaml", yaml);
  }
}
