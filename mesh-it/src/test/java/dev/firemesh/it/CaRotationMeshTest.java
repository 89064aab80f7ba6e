package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotation under load with no failed request: two services whose enrolled sidecars speak strict
 * mTLS call each other without pause, through kept-alive connections and new ones (a caller-side
 * pool that ends each connection after a few requests, and an app that closes its connection every
 * third request), while an operator rotates the root and the intermediate with the CLI. Every
 * request succeeds, no handshake fails, the sidecars end with certificates of the new intermediate
 * and a bundle without the old root, and no process restarted.
 */
class CaRotationMeshTest {
  private static final ObjectMapper JSON = new ObjectMapper();
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
      kind: MutualTls
      metadata: {name: orders-strict}
      spec: {service: orders, mode: strict}
      ---
      apiVersion: firemesh.dev/v1
      kind: MutualTls
      metadata: {name: gateway-strict}
      spec: {service: gateway, mode: strict}
      ---
      apiVersion: firemesh.dev/v1
      kind: TrafficPolicy
      metadata: {name: gateway}
      spec:
        service: gateway
        connectionPool: {idleTimeout: 100ms}
      """;

  @TempDir Path tmp;

  @Test
  void theRootAndIntermediateAreRotatedUnderLoadWithoutAFailedRequestOrARestart() throws Exception {
    try (Closer resources = new Closer()) {
      // The propagation time stands in for "every workload holds the new root"; this test waits
      // for exactly that below (both sidecars' bundles) before activating, so it need not also
      // wait out a margin over the 15 s poll.
      ControlPlaneProcess control =
          resources.add(
              ControlPlaneProcess.start(tmp.resolve("control"), "--ca-bundle-propagation", "1s"));
      control.client().post("/v1/apply", ChildProcesses.applyBody("mesh.yaml", MESH));
      String dataDir = control.dataDir().toString();
      Path work = tmp.resolve("sidecars");
      LocalApp ordersApp = resources.add(LocalApp.start("orders"));
      LocalApp gatewayApp = resources.add(LocalApp.start("gateway"));
      List<SidecarProcess> sidecars =
          resources
              .add(new Fleet())
              .startTogether(
                  List.of(
                      () ->
                          Enrolment.sidecar(control, work, "orders", "orders-1", ordersApp.port()),
                      () ->
                          Enrolment.sidecar(
                              control, work, "gateway", "gateway-1", gatewayApp.port())));
      SidecarProcess orders = sidecars.get(0);
      SidecarProcess gateway = sidecars.get(1);
      JsonNode before = certs(orders);
      String oldRoot = before.path("trustBundle").get(0).path("sha256").asText();
      String oldIssuer = before.path("issuer").asText();

      // Both directions must work before the load starts (the sidecars start side by side, so
      // either may be the last to get its configuration).
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () ->
                  ReconnectingCaller.once(orders.outbound(), "gateway").equals("orders")
                      && ReconnectingCaller.once(gateway.outbound(), "orders").equals("gateway"));
      Traffic keptAlive =
          resources.add(
              Traffic.start(gateway.outbound(), "http://orders/whoami", 4, Duration.ofMillis(5)));
      ReconnectingCaller reconnecting =
          resources.add(
              ReconnectingCaller.start(orders.outbound(), "gateway", 3, Duration.ofMillis(300)));
      await().atMost(Duration.ofSeconds(30)).until(() -> keptAlive.calls() > 50);
      long handshakesBefore = okHandshakes(orders, "outbound");

      // 1. prepare: a new root and intermediate; the root reaches both bundles by their polls.
      Cli.Result prepared = Cli.run("ca", "rotate", "prepare", "--root", "--data-dir", dataDir);
      assertThat(prepared.exitCode()).as(prepared.err()).isZero();
      assertThat(prepared.out()).contains("prepared: new intermediate");
      assertThat(Cli.run("ca", "status", "--data-dir", dataDir).out())
          .contains("rotation: prepared");
      for (SidecarProcess sidecar : sidecars) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> certs(sidecar).path("trustBundle").size() == 2);
      }

      // 2. activate, once the propagation time has passed; the sidecars renew early onto it.
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(2))
          .until(() -> Cli.run("ca", "rotate", "activate", "--data-dir", dataDir).exitCode() == 0);
      for (SidecarProcess sidecar : sidecars) {
        await()
            .atMost(Duration.ofSeconds(120))
            .until(() -> certs(sidecar).path("issuer").asText().contains("Intermediate CA G2"));
      }

      // 3. finish: no SVID of the old intermediate is live any more; the old root leaves.
      Cli.Result finished = Cli.run("ca", "rotate", "finish", "--data-dir", dataDir);
      assertThat(finished.exitCode()).as(finished.out() + finished.err()).isZero();
      for (SidecarProcess sidecar : sidecars) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> certs(sidecar).path("trustBundle").size() == 1);
        JsonNode now = certs(sidecar);
        assertThat(now.path("trustBundle").get(0).path("sha256").asText()).isNotEqualTo(oldRoot);
        assertThat(now.path("issuer").asText()).isNotEqualTo(oldIssuer).contains("G2");
      }
      // Some more traffic on the new bundle alone, over new connections too.
      long callsAtFinish = keptAlive.calls();
      long reconnectsAtFinish = reconnecting.connections();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  keptAlive.calls() > callsAtFinish + 100
                      && reconnecting.connections() > reconnectsAtFinish + 20);
      keptAlive.close();
      reconnecting.close();

      assertThat(keptAlive.failures()).as("failed requests gateway -> orders").isEmpty();
      assertThat(reconnecting.failures()).as("failed requests orders -> gateway").isEmpty();
      assertThat(keptAlive.bodies()).containsOnlyKeys("gateway");
      assertThat(okHandshakes(orders, "outbound"))
          .as("the caller-side pool opened new mTLS connections during the rotation")
          .isGreaterThan(handshakesBefore + 10);
      for (SidecarProcess sidecar : sidecars) {
        assertThat(failedHandshakes(sidecar)).as("no handshake failed").isEmpty();
        assertThat(sidecar.alive()).isTrue();
      }
      Cli.Result status = Cli.run("ca", "status", "--data-dir", dataDir);
      assertThat(status.out()).contains("rotation: none under way");
      assertThat(control.client().get("/v1/ca").path("items"))
          .filteredOn(i -> i.path("state").asText().equals("retired"))
          .hasSize(2);
      assertThat(ProcessHandle.of(control.pid()).map(ProcessHandle::isAlive)).contains(true);
      assertThat(control.log().lines().filter(l -> l.contains("control plane up")))
          .as("the control plane started once")
          .hasSize(1);
    }
  }

  private static JsonNode certs(SidecarProcess sidecar) throws Exception {
    return JSON.readTree(admin(sidecar, "/certs"));
  }

  private static long okHandshakes(SidecarProcess sidecar, String side) throws Exception {
    Matcher m =
        Pattern.compile(
                "firemesh_proxy_tls_handshakes_total\\{side=\""
                    + side
                    + "\",result=\"ok\"\\} ([0-9]+)")
            .matcher(admin(sidecar, "/stats/prometheus"));
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  /** Every handshake counter with a result other than ok and a count above zero. */
  private static List<String> failedHandshakes(SidecarProcess sidecar) throws Exception {
    List<String> failed = new ArrayList<>();
    Matcher m =
        Pattern.compile(
                "(firemesh_proxy_(?:tls_handshakes|upstream_tls_failures)_total\\{[^}]*\\}) ([0-9]+)")
            .matcher(admin(sidecar, "/stats/prometheus"));
    while (m.find()) {
      if (!m.group(1).contains("result=\"ok\"") && Long.parseLong(m.group(2)) > 0) {
        failed.add(m.group(0));
      }
    }
    return failed;
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

  /**
   * An app that calls through its sidecar on plain sockets and closes its connection after every
   * few requests, so its sidecar sees connections come and go.
   */
  static final class ReconnectingCaller implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong connections = new AtomicLong();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private Thread thread;

    static ReconnectingCaller start(
        InetSocketAddress outbound, String service, int perConnection, Duration pause) {
      ReconnectingCaller caller = new ReconnectingCaller();
      caller.thread =
          Thread.ofVirtual()
              .name("reconnecting-caller")
              .start(() -> caller.run(outbound, service, perConnection, pause));
      return caller;
    }

    /** One request on a connection of its own; the body of the answer. */
    static String once(InetSocketAddress outbound, String service) throws IOException {
      try (Socket socket = new Socket(outbound.getAddress(), outbound.getPort())) {
        socket.setSoTimeout(10_000);
        return exchange(socket, new BufferedInputStream(socket.getInputStream()), service, true);
      }
    }

    private void run(
        InetSocketAddress outbound, String service, int perConnection, Duration pause) {
      while (running.get()) {
        try (Socket socket = new Socket(outbound.getAddress(), outbound.getPort())) {
          socket.setSoTimeout(10_000);
          connections.incrementAndGet();
          InputStream in = new BufferedInputStream(socket.getInputStream());
          for (int i = 0; i < perConnection && running.get(); i++) {
            String body = exchange(socket, in, service, i == perConnection - 1);
            if (!body.equals("orders")) {
              failures.add("unexpected caller: " + body);
            }
          }
        } catch (IOException | RuntimeException e) {
          failures.add(e.toString());
        }
        try {
          Thread.sleep(pause);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    private static String exchange(Socket socket, InputStream in, String service, boolean last)
        throws IOException {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET http://"
                  + service
                  + "/whoami HTTP/1.1\r\nHost: "
                  + service
                  + "\r\n"
                  + (last ? "Connection: close\r\n" : "")
                  + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status = line(in);
      if (!status.startsWith("HTTP/1.1 200")) {
        throw new IOException("status " + status);
      }
      int length = -1;
      for (String header = line(in); !header.isEmpty(); header = line(in)) {
        String lower = header.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Integer.parseInt(lower.substring("content-length:".length()).strip());
        }
      }
      if (length < 0) {
        throw new IOException("no content-length in the answer");
      }
      return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static String line(InputStream in) throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          throw new IOException("connection closed mid-answer");
        }
        if (b != '\r') {
          line.write(b);
        }
      }
      return line.toString(StandardCharsets.US_ASCII);
    }

    long connections() {
      return connections.get();
    }

    List<String> failures() {
      return List.copyOf(failures);
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      if (thread != null) {
        thread.join(Duration.ofSeconds(15));
      }
    }
  }
}
