package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.firemesh.cli.client.AdminClient;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The routing half of traffic management through real sidecars: a weighted canary split that
 * converges to its weights, A/B routing by header, cookie and method, sticky assignment of a user
 * to a variant, a path and Host rewrite the app sees, a redirect and a direct response answered by
 * the caller's sidecar, and mirroring whose copies reach a shadow while a stuck shadow and a dead
 * one neither slow nor fail the primary calls.
 */
class RoutingMeshTest {
  @TempDir Path tmp;

  @Test
  void routesSplitsRewritesAnswersAndMirrorsThroughRealSidecars() throws Exception {
    try (Closer resources = new Closer()) {
      ControlPlaneProcess control = ControlPlaneProcess.start(tmp.resolve("control"));
      resources.add(control);
      AdminClient admin = control.client();
      int deadPort;
      try (ServerSocket free = new ServerSocket(0)) {
        deadPort = free.getLocalPort(); // closed again: connects there are refused
      }
      admin.post("/v1/apply", ChildProcesses.applyBody("routing.yaml", MESH));

      RecordingApp v1 = resources.add(RecordingApp.start("orders-v1", null));
      RecordingApp v2 = resources.add(RecordingApp.start("orders-v2", null));
      CountDownLatch shadowHeld = new CountDownLatch(1);
      RecordingApp shadow = resources.add(RecordingApp.start("orders-shadow", shadowHeld));
      RecordingApp gatewayApp = resources.add(RecordingApp.start("gateway", null));
      Path work = tmp.resolve("sidecars");
      // Four JVMs started (and stopped) at once: each is mostly waiting (class loading, first
      // config; the drain delay).
      List<Callable<SidecarProcess>> starts =
          List.of(
              Fleet.sidecar(
                  control.dataDir(), work, "orders", "orders-v1", v1.port(), "version=v1"),
              Fleet.sidecar(
                  control.dataDir(), work, "orders", "orders-v2", v2.port(), "version=v2"),
              Fleet.sidecar(
                  control.dataDir(),
                  work,
                  "orders",
                  "orders-shadow",
                  shadow.port(),
                  "version=shadow"),
              Fleet.sidecar(control.dataDir(), work, "gateway", "gateway-1", gatewayApp.port()));
      List<SidecarProcess> sidecars = resources.add(new Fleet()).startTogether(starts);
      SidecarProcess gateway = sidecars.getLast();
      // A registered instance nobody listens for: the "dead" mirror's only endpoint.
      ObjectNode dead = JsonNodeFactory.instance.objectNode();
      dead.put("service", "orders")
          .put("instanceId", "orders-dead")
          .put("address", "127.0.0.1")
          .put("port", deadPort)
          .put("ttlSeconds", 300);
      dead.putObject("labels").put("version", "dead");
      admin.post("/v1/instances", dead);

      HttpClient client =
          HttpClient.newBuilder()
              .proxy(ProxySelector.of(gateway.outbound()))
              .followRedirects(HttpClient.Redirect.NEVER)
              .build();
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () ->
                  call(client, "/who", Map.of()).statusCode() == 200
                      && call(client, "/beta", Map.of("x-group", "beta")).body().equals("orders-v2")
                      && call(client, "/mirrored/warm", Map.of()).statusCode() == 200);

      // Canary: 90/10 by weight, within five binomial standard deviations.
      Map<String, Integer> counts = new HashMap<>();
      int calls = 400;
      for (int i = 0; i < calls; i++) {
        HttpResponse<String> response = call(client, "/who", Map.of());
        assertThat(response.statusCode()).isEqualTo(200);
        counts.merge(response.body(), 1, Integer::sum);
      }
      double sigma = Math.sqrt(calls * 0.9 * 0.1);
      assertThat(counts.getOrDefault("orders-v2", 0))
          .isBetween((int) Math.ceil(40 - 5 * sigma), (int) Math.floor(40 + 5 * sigma));
      assertThat(counts.getOrDefault("orders-v1", 0) + counts.getOrDefault("orders-v2", 0))
          .isEqualTo(calls);

      // A/B by header: every beta user on v2.
      for (int i = 0; i < 20; i++) {
        assertThat(call(client, "/beta", Map.of("x-group", "beta")).body()).isEqualTo("orders-v2");
      }

      // A/B by cookie and method: GET with the cookie on v2; the method decides for DELETE.
      for (int i = 0; i < 10; i++) {
        assertThat(call(client, "/who", Map.of("Cookie", "theme=dark; variant=b")).body())
            .isEqualTo("orders-v2");
      }
      HttpResponse<String> delete =
          client.send(
              HttpRequest.newBuilder(URI.create("http://orders/who")).DELETE().build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(delete.statusCode()).isEqualTo(405);
      assertThat(delete.body()).isEqualTo("no deletes");

      // Sticky: each user keeps a variant over many calls, and users spread over both.
      Map<String, Integer> usersPerVariant = new HashMap<>();
      for (int user = 0; user < 30; user++) {
        String first = call(client, "/sticky", Map.of("x-user-id", "user-" + user)).body();
        for (int again = 0; again < 4; again++) {
          assertThat(call(client, "/sticky", Map.of("x-user-id", "user-" + user)).body())
              .as("user-%d's variant", user)
              .isEqualTo(first);
        }
        usersPerVariant.merge(first, 1, Integer::sum);
      }
      assertThat(usersPerVariant).containsOnlyKeys("orders-v1", "orders-v2");

      // Rewrite: the app sees the new path (query kept) and Host.
      HttpResponse<String> rewritten = call(client, "/api/orders/7?full=1", Map.of());
      assertThat(rewritten.statusCode()).isEqualTo(200);
      assertThat(v1.seen())
          .anySatisfy(
              seen -> assertThat(seen).isEqualTo("GET /internal/orders/7?full=1 orders.internal"));

      // Redirect and direct response: answered by the caller's sidecar.
      HttpResponse<String> moved = call(client, "/old/a?b=1", Map.of());
      assertThat(moved.statusCode()).isEqualTo(308);
      assertThat(moved.headers().firstValue("location")).hasValue("https://orders/new/a?b=1");
      HttpResponse<String> maintenance = call(client, "/maintenance", Map.of());
      assertThat(maintenance.statusCode()).isEqualTo(503);
      assertThat(maintenance.body()).isEqualTo("down for maintenance");
      assertThat(v1.seen()).noneMatch(seen -> seen.contains("/old/") || seen.contains("/maint"));

      // Mirror: while the shadow holds every copy unanswered and the dead mirror refuses
      // connections, primary calls all succeed; once released, the shadow has the copies.
      int mirrored = 30;
      for (int i = 0; i < mirrored; i++) {
        HttpResponse<String> response = post(client, "/mirrored/" + i, "payload-" + i);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("orders-v1");
      }
      shadowHeld.countDown();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(shadow.seen())
                      .filteredOn(seen -> seen.startsWith("POST /mirrored/"))
                      .hasSize(mirrored));
      assertThat(shadow.seen())
          .contains("POST /mirrored/7 orders-shadow payload-7")
          .allSatisfy(seen -> assertThat(seen).contains("orders-shadow"));
      Map<String, Long> stats = stats(gateway);
      assertThat(stats.get("mirror.requests.sent")).isGreaterThanOrEqualTo(mirrored);
      assertThat(stats.get("mirror.requests.failed"))
          .as("copies to the dead mirror")
          .isGreaterThanOrEqualTo(mirrored);
      String prometheus =
          get(client, "http://" + hostPort(gateway.admin()) + "/stats/prometheus").body();
      assertThat(prometheus).contains("firemesh_proxy_mirror_requests_sent_total ");

      // The configuration in force names the new actions.
      String dump = get(client, "http://" + hostPort(gateway.admin()) + "/config_dump").body();
      assertThat(dump)
          .contains("\"type\": \"Redirect\"")
          .contains("\"type\": \"DirectResponse\"")
          .contains("\"hostRewrite\": \"orders.internal\"");
    }
  }

  private static final String MESH =
      """
      apiVersion: firemesh.dev/v1
      kind: Service
      metadata: {name: orders}
      spec:
        ports: [{name: http, port: 8080, protocol: http1}]
        subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
          - {name: shadow, labels: {version: shadow}}
          - {name: dead, labels: {version: dead}}
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
          - name: moved
            match: [{path: {prefix: /old/}}]
            redirect: {scheme: https, prefix: /new/, status: 308}
          - name: maintenance
            match: [{path: {exact: /maintenance}}]
            directResponse: {status: 503, body: down for maintenance}
          - name: beta
            match:
              - headers: [{name: x-group, exact: beta}]
              - cookies: [{name: variant, exact: b}]
                methods: [GET, HEAD]
            destinations: [{subset: v2}]
          - name: no-deletes
            match: [{methods: [DELETE]}]
            directResponse: {status: 405, body: no deletes}
          - name: sticky
            match: [{path: {prefix: /sticky}}]
            destinations: [{subset: v1, weight: 50}, {subset: v2, weight: 50}]
            stickyBy: {header: x-user-id}
          - name: rewritten
            match: [{path: {prefix: /api/}}]
            destinations: [{subset: v1}]
            rewrite: {prefix: /internal/, host: orders.internal}
          - name: mirrored
            match: [{path: {prefix: /mirrored/}}]
            destinations: [{subset: v1}]
            mirror: [{subset: shadow}, {subset: dead}]
          - name: canary
            destinations: [{subset: v1, weight: 90}, {subset: v2, weight: 10}]
      """;

  private static HttpResponse<String> call(HttpClient client, String path, Map<String, String> h)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://orders" + path));
    h.forEach(request::header);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(HttpClient client, String path, String body)
      throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://orders" + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(HttpClient ignored, String url) throws Exception {
    try (HttpClient direct = HttpClient.newHttpClient()) {
      return direct.send(
          HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  /** The sidecar's {@code /stats} page: one {@code name value} line per counter. */
  private static Map<String, Long> stats(SidecarProcess sidecar) throws Exception {
    Map<String, Long> counters = new HashMap<>();
    for (String line :
        get(null, "http://" + hostPort(sidecar.admin()) + "/stats").body().lines().toList()) {
      String[] parts = line.strip().split("\\s+");
      if (parts.length == 2 && parts[1].matches("-?[0-9]+")) {
        counters.put(parts[0], Long.parseLong(parts[1]));
      }
    }
    return counters;
  }

  private static String hostPort(InetSocketAddress address) {
    return address.getHostString() + ":" + address.getPort();
  }

  /**
   * An app that answers with its name and records each request as {@code METHOD target Host
   * [body]}; with a latch, it holds every answer until the latch opens (a stuck shadow).
   */
  private static final class RecordingApp implements AutoCloseable {
    private final HttpServer server;
    private final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();

    private RecordingApp(HttpServer server) {
      this.server = server;
    }

    static RecordingApp start(String name, CountDownLatch hold) throws Exception {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
      RecordingApp app = new RecordingApp(server);
      byte[] answer = name.getBytes(StandardCharsets.UTF_8);
      server.createContext(
          "/",
          exchange -> {
            try (exchange) {
              String body =
                  new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
              app.seen.add(
                  exchange.getRequestMethod()
                      + " "
                      + exchange.getRequestURI()
                      + " "
                      + exchange.getRequestHeaders().getFirst("Host")
                      + (body.isEmpty() ? "" : " " + body));
              if (hold != null) {
                hold.await();
              }
              exchange.sendResponseHeaders(200, answer.length);
              exchange.getResponseBody().write(answer);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.start();
      return app;
    }

    int port() {
      return server.getAddress().getPort();
    }

    List<String> seen() {
      return List.copyOf(seen);
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
