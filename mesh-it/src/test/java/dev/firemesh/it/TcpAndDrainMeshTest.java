package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firemesh.cli.client.AdminClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code firemesh control} and {@code firemesh proxy} processes: a server-first TCP service
 * reached by name through two sidecars, and an instance leaving under steady traffic without a
 * single failed call.
 */
class TcpAndDrainMeshTest {
  // One control plane for the class: each test applies its services and brings sidecars and apps
  // of its own (in its own directory), and stops them before the next.
  @TempDir static Path shared;
  @TempDir Path tmp;
  private static ControlPlaneProcess control;

  @BeforeAll
  static void startControlPlane() throws Exception {
    control = ControlPlaneProcess.start(shared.resolve("control"));
  }

  @AfterAll
  static void stopControlPlane() {
    if (control != null) {
      control.close();
    }
  }

  @Test
  void aServerFirstTcpServiceIsReachedByNameThroughTwoSidecars() throws Exception {
    try (Closer resources = new Closer()) {
      AdminClient admin = control.client();
      admin.post(
          "/v1/apply",
          ChildProcesses.applyBody(
              "fix.yaml",
              """
              apiVersion: firemesh.dev/v1
              kind: Service
              metadata: {name: fix-engine}
              spec:
                ports:
                  - {name: http, port: 8080, protocol: http1}
                  - {name: fix, port: 9878, protocol: tcp}
              ---
              apiVersion: firemesh.dev/v1
              kind: Service
              metadata: {name: trader}
              spec:
                ports: [{name: http, port: 8080, protocol: http1}]
              """));
      BannerServer engine = new BannerServer();
      resources.add(engine);
      LocalApp engineHttp = resources.add(LocalApp.start("fix-engine-http"));
      LocalApp traderApp = resources.add(LocalApp.start("trader"));
      Path work = tmp.resolve("sidecars");
      SidecarProcess trader =
          resources
              .add(new Fleet())
              .startTogether(
                  List.of(
                      () ->
                          SidecarProcess.start(
                              control.dataDir(),
                              work,
                              "trader",
                              "trader-1",
                              List.of(
                                  "--app-port",
                                  Integer.toString(traderApp.port()),
                                  "--upstream",
                                  "fix-engine:fix=0",
                                  // no test here stops these under traffic (see Fleet.options)
                                  "--drain-delay",
                                  "0s")),
                      () ->
                          SidecarProcess.start(
                              control.dataDir(),
                              work,
                              "fix-engine",
                              "fix-engine-1",
                              List.of(
                                  "--app-port",
                                  "http=" + engineHttp.port(),
                                  "--app-port",
                                  "fix=" + engine.port(),
                                  "--drain-delay",
                                  "0s"))))
              .getFirst();
      InetSocketAddress fix = trader.upstream("fix-engine:fix");

      // The trader app connects and hears the engine first, having sent nothing.
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () -> {
                try (Socket socket = new Socket(fix.getAddress(), fix.getPort())) {
                  socket.setSoTimeout(5_000);
                  return line(socket.getInputStream()).equals(BannerServer.BANNER);
                }
              });
      try (Socket socket = new Socket(fix.getAddress(), fix.getPort())) {
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        assertThat(line(in)).isEqualTo(BannerServer.BANNER);
        socket.getOutputStream().write("8=FIX.4.4|35=D|\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(line(in)).isEqualTo("8=FIX.4.4|35=D|\n");
      }
      // The same instance's HTTP port is still reached by HTTP, by name.
      HttpClient viaSidecar =
          HttpClient.newBuilder().proxy(ProxySelector.of(trader.outbound())).build();
      HttpResponse<String> response =
          viaSidecar.send(
              HttpRequest.newBuilder(URI.create("http://fix-engine/status")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.body()).isEqualTo("fix-engine-http");
    }
  }

  @Test
  void anInstanceLeavingUnderSteadyTrafficFailsNoCallAndExitsZero() throws Exception {
    try (Closer resources = new Closer()) {
      ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
      resources.add(clients::shutdownNow);
      control
          .client()
          .post(
              "/v1/apply",
              ChildProcesses.applyBody(
                  "orders.yaml",
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
                  """));
      LocalApp one = resources.add(LocalApp.start("orders-1"));
      LocalApp two = resources.add(LocalApp.start("orders-2"));
      LocalApp gatewayApp = resources.add(LocalApp.start("gateway"));
      Path work = tmp.resolve("sidecars");
      List<SidecarProcess> sidecars =
          resources
              .add(new Fleet())
              .startTogether(
                  List.of(
                      Fleet.sidecar(control.dataDir(), work, "orders", "orders-1", one.port()),
                      () ->
                          SidecarProcess.start(
                              control.dataDir(),
                              work,
                              "orders",
                              "orders-2",
                              List.of(
                                  "--app-port",
                                  Integer.toString(two.port()),
                                  "--drain-timeout",
                                  "10s")),
                      Fleet.sidecar(
                          control.dataDir(), work, "gateway", "gateway-1", gatewayApp.port())));
      SidecarProcess leaving = sidecars.get(1);
      SidecarProcess gateway = sidecars.get(2);
      HttpClient viaSidecar =
          HttpClient.newBuilder().proxy(ProxySelector.of(gateway.outbound())).build();
      Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () -> {
                served
                    .computeIfAbsent(post(viaSidecar).body(), k -> new AtomicInteger())
                    .incrementAndGet();
                return served.containsKey("orders-1") && served.containsKey("orders-2");
              });

      // Steady traffic: POSTs (never resent blindly) from four callers until told to stop.
      AtomicBoolean running = new AtomicBoolean(true);
      ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      AtomicInteger afterExit = new AtomicInteger();
      AtomicBoolean exited = new AtomicBoolean();
      served.clear();
      List<Future<?>> callers = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        callers.add(
            clients.submit(
                () -> {
                  while (running.get()) {
                    try {
                      HttpResponse<String> response = post(viaSidecar);
                      if (response.statusCode() != 200) {
                        failures.add(response.statusCode() + " " + response.body());
                      } else {
                        served
                            .computeIfAbsent(response.body(), k -> new AtomicInteger())
                            .incrementAndGet();
                        if (exited.get()) {
                          afterExit.incrementAndGet();
                        }
                      }
                    } catch (IOException | InterruptedException e) {
                      failures.add(e.toString());
                    }
                  }
                }));
      }
      Thread.sleep(1_000);
      int servedByLeaverBefore = served.getOrDefault("orders-2", new AtomicInteger()).get();
      int exitCode = leaving.terminate(Duration.ofSeconds(30));
      exited.set(true);
      await().atMost(Duration.ofSeconds(10)).until(() -> afterExit.get() >= 100);
      running.set(false);
      for (Future<?> caller : callers) {
        caller.get();
      }

      assertThat(servedByLeaverBefore).as("orders-2 took traffic before it left").isPositive();
      assertThat(exitCode).as("exit code; log:\n%s", leaving.log()).isZero();
      assertThat(failures)
          .as(
              "failed calls; leaving sidecar's log:%n%s%ngateway sidecar's log:%n%s",
              leaving.log(), gateway.log())
          .isEmpty();
      assertThat(leaving.log()).contains("drained");
    }
  }

  private static HttpResponse<String> post(HttpClient client)
      throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://orders/orders"))
            .POST(HttpRequest.BodyPublishers.ofString("buy 100 ACME"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      line.write(b);
      if (b == '\n') {
        break;
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  /** A server that speaks first (a banner), then echoes, as a FIX engine or a database would. */
  private static final class BannerServer implements AutoCloseable {
    static final String BANNER = "220 fix-engine ready\n";
    private final ServerSocket server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    BannerServer() throws IOException {
      server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
      executor.execute(
          () -> {
            while (!server.isClosed()) {
              try {
                Socket socket = server.accept();
                executor.execute(() -> serve(socket));
              } catch (IOException e) {
                return;
              }
            }
          });
    }

    int port() {
      return server.getLocalPort();
    }

    private static void serve(Socket socket) {
      try (socket) {
        OutputStream out = socket.getOutputStream();
        out.write(BANNER.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        socket.getInputStream().transferTo(out);
      } catch (IOException e) {
        // the client left
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      executor.shutdownNow();
    }
  }
}
