package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery while calls flow, with real processes: a new instance takes traffic as soon as it
 * registers, and the control plane can die (SIGKILL) and come back without a single call failing,
 * because the sidecars route with their last configuration meanwhile and resync afterwards.
 */
class DiscoveryUnderTrafficTest {
  private static final String MESH =
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
      """;

  // One control plane for the tests that do not kill it: each brings sidecars and apps of its own
  // (in its own directory, with instance names of its own) and stops them before the next.
  @TempDir static Path shared;
  @TempDir Path tmp;
  private static ControlPlaneProcess sharedControl;

  @BeforeAll
  static void startControlPlane() throws Exception {
    sharedControl = ControlPlaneProcess.start(shared.resolve("control"));
    sharedControl.client().post("/v1/apply", ChildProcesses.applyBody("mesh.yaml", MESH));
  }

  @AfterAll
  static void stopControlPlane() {
    if (sharedControl != null) {
      sharedControl.close();
    }
  }

  @Test
  void aNewInstanceTakesTrafficWithinASecondOfRegistering() throws Exception {
    try (Closer closer = new Closer()) {
      ControlPlaneProcess control = sharedControl;
      Path work = tmp.resolve("sidecars");
      LocalApp orders2 = closer.add(LocalApp.start("orders-2"));
      List<Callable<SidecarProcess>> starts =
          List.of(
              gateway(closer, control, work), instance(closer, control, work, "orders-1", "v1"));
      Fleet fleet = closer.add(new Fleet()); // stopped before the apps, as before
      SidecarProcess gateway = fleet.startTogether(starts).getFirst();
      Fleet.awaitRouting(gateway, "http://orders/who", List.of("orders-1"));
      Traffic traffic =
          closer.add(
              Traffic.start(gateway.outbound(), "http://orders/who", 2, Duration.ofMillis(5)));
      await().atMost(Duration.ofSeconds(30)).until(() -> traffic.bodies().containsKey("orders-1"));

      fleet.start(() -> orders(control, work, "orders-2", orders2, "v1"));
      // The sidecar writes its ready file right after the control plane accepted its registration.
      long registeredAt = Files.getLastModifiedTime(work.resolve("orders-2.ready.json")).toMillis();
      long registeredNanos =
          System.nanoTime()
              - TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - registeredAt);
      await().atMost(Duration.ofSeconds(10)).until(() -> traffic.firstSeen("orders-2").isPresent());
      long tookMillis =
          TimeUnit.NANOSECONDS.toMillis(
              traffic.firstSeen("orders-2").orElseThrow() - registeredNanos);
      traffic.close();

      assertThat(tookMillis)
          .as("milliseconds from registration to the first call answered by the new instance")
          .isLessThan(1_000);
      assertThat(traffic.failures()).isEmpty();
    }
  }

  @Test
  void anInstanceRegistersOnlyOnceItsAppListens() throws Exception {
    try (Closer closer = new Closer()) {
      ControlPlaneProcess control = sharedControl;
      int appPort = freePort();
      Path work = tmp.resolve("sidecars");
      var sidecar =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  return SidecarProcess.start(
                      control.dataDir(), work, "orders", "orders-late", Fleet.options(appPort));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      closer.add(() -> sidecar.get().close());
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  Files.exists(work.resolve("orders-late.log"))
                      && Files.size(work.resolve("orders-late.log")) > 0);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  Files.readString(work.resolve("orders-late.log"))
                      .contains("waiting for the app"));
      assertThat(control.client().get("/v1/instances?service=orders").toString())
          .doesNotContain("orders-late");

      closer.add(LocalApp.start("orders-late", appPort));
      await().atMost(Duration.ofSeconds(30)).until(sidecar::isDone);
      assertThat(control.client().get("/v1/instances?service=orders").toString())
          .contains("orders-late");
    }
  }

  @Test
  void theControlPlaneKilledMidTrafficLosesNoCallAndResyncsWhenItReturns() throws Exception {
    try (Closer closer = new Closer()) {
      int adminPort = freePort();
      int xdsPort = freePort();
      Path data = tmp.resolve("control");
      ControlPlaneProcess control =
          closer.add(ControlPlaneProcess.startOnPorts(data, adminPort, xdsPort));
      control.client().post("/v1/apply", ChildProcesses.applyBody("mesh.yaml", MESH));
      Path work = tmp.resolve("sidecars");
      List<Callable<SidecarProcess>> starts =
          List.of(
              gateway(closer, control, work),
              instance(closer, control, work, "orders-1", "v1"),
              instance(closer, control, work, "orders-2", "v2"));
      SidecarProcess gateway = closer.add(new Fleet()).startTogether(starts).getFirst();
      Fleet.awaitRouting(gateway, "http://orders/who", List.of("orders-1", "orders-2"));
      Traffic traffic =
          closer.add(
              Traffic.start(gateway.outbound(), "http://orders/who", 4, Duration.ofMillis(2)));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  traffic.bodies().keySet().containsAll(java.util.List.of("orders-1", "orders-2")));

      control.kill();
      long callsBefore = traffic.calls();
      await().atMost(Duration.ofSeconds(30)).until(() -> traffic.calls() > callsBefore + 500);

      // Back on the same ports: the sidecars reconnect, renew their leases and take new config.
      ControlPlaneProcess restarted =
          closer.add(ControlPlaneProcess.startOnPorts(data, adminPort, xdsPort));
      restarted
          .client()
          .post(
              "/v1/apply",
              ChildProcesses.applyBody(
                  "route.yaml",
                  """
                  apiVersion: firemesh.dev/v1
                  kind: Route
                  metadata: {name: orders}
                  spec:
                    service: orders
                    rules: [{destinations: [{subset: v2}]}]
                  """));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                long v1 = traffic.bodies().getOrDefault("orders-1", 0L);
                Thread.sleep(500);
                return traffic.bodies().getOrDefault("orders-1", 0L) == v1;
              });
      traffic.close();

      assertThat(traffic.failures()).as("calls that failed").isEmpty();
      assertThat(traffic.calls()).isGreaterThan(1_000);
    }
  }

  /** The calling side's sidecar; its app is started now, the sidecar when called. */
  private static Callable<SidecarProcess> gateway(
      Closer closer, ControlPlaneProcess control, Path work) throws Exception {
    LocalApp app = closer.add(LocalApp.start("gateway-1"));
    return Fleet.sidecar(control.dataDir(), work, "gateway", "gateway-1", app.port());
  }

  /** An orders instance's sidecar; its app is started now, the sidecar when called. */
  private static Callable<SidecarProcess> instance(
      Closer closer, ControlPlaneProcess control, Path work, String id, String version)
      throws Exception {
    LocalApp app = closer.add(LocalApp.start(id));
    return () -> orders(control, work, id, app, version);
  }

  private static SidecarProcess orders(
      ControlPlaneProcess control, Path work, String id, LocalApp app, String version)
      throws Exception {
    return SidecarProcess.start(
        control.dataDir(), work, "orders", id, Fleet.options(app.port(), "version=" + version));
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
