package dev.firemesh.proxy.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firemesh.proxy.Sidecar;
import dev.firemesh.proxy.testing.RawHttp;
import dev.firemesh.proxy.testing.SidecarPair;
import dev.firemesh.traffic.circuit.Limit;
import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.Endpoint;
import dev.firemesh.traffic.config.HeaderMatcher;
import dev.firemesh.traffic.config.RequestMatch;
import dev.firemesh.traffic.config.RouteAction;
import dev.firemesh.traffic.config.RouteEntry;
import dev.firemesh.traffic.config.StringMatcher;
import dev.firemesh.traffic.config.VirtualService;
import dev.firemesh.traffic.route.ClusterRuntime;
import dev.firemesh.traffic.route.SnapshotRouter;
import dev.firemesh.traffic.stats.ClusterStats;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Timeouts, deadlines, retries, circuit breaking and fault injection as a caller sees them through
 * a real sidecar, routed by the real router, to real HTTP servers on loopback.
 */
class ResilienceTest {

  private final List<AutoCloseable> closing = new ArrayList<>();
  private SnapshotRouter router;
  private Sidecar sidecar;

  @AfterEach
  void close() throws Exception {
    if (sidecar != null) {
      sidecar.close();
    }
    for (AutoCloseable c : closing.reversed()) {
      c.close();
    }
  }

  private BehaviourApp app(String name, int status, long delayMillis) throws Exception {
    BehaviourApp app = new BehaviourApp(name, status, delayMillis);
    closing.add(app);
    return app;
  }

  private void start(RouteAction action, ClusterConfig.Limits limits, BehaviourApp... apps)
      throws Exception {
    start(action, limits, ClusterConfig.OutlierDetection.DISABLED, apps);
  }

  private void start(
      RouteAction action,
      ClusterConfig.Limits limits,
      ClusterConfig.OutlierDetection outliers,
      BehaviourApp... apps)
      throws Exception {
    router = new SnapshotRouter();
    sidecar =
        SidecarPair.ephemeral(Sidecar.builder().router(router).localAppPort(apps[0].port()))
            .build()
            .start();
    List<Endpoint> endpoints =
        Arrays.stream(apps)
            .map(a -> new Endpoint("127.0.0.1", a.port(), "local", "local-a", 1))
            .toList();
    ClusterConfig cluster =
        new ClusterConfig(
            "orders",
            ClusterConfig.Protocol.HTTP1,
            ClusterConfig.BalancerPolicy.ROUND_ROBIN,
            Duration.ofSeconds(1),
            Duration.ofSeconds(30),
            limits,
            outliers,
            endpoints);
    VirtualService service =
        new VirtualService("orders", List.of(new RouteEntry("default", RequestMatch.ANY, action)));
    sidecar.apply(new DataPlaneConfig("1", Map.of("orders", service), Map.of("orders", cluster)));
  }

  private static RouteAction action(
      Duration timeout, RouteAction.Retry retry, RouteAction.Fault fault) {
    return new RouteAction(
        List.of(new RouteAction.WeightedCluster("orders", 1)),
        timeout,
        retry,
        fault,
        List.of(),
        "");
  }

  private static RouteAction.Retry retry(int max, Duration perTry, String... on) {
    return new RouteAction.Retry(
        max, perTry, Set.of(on), Duration.ofMillis(5), Duration.ofMillis(20));
  }

  private RawHttp.Response call(String method, String... headers) throws Exception {
    return call(sidecar.outboundAddress(), method, headers);
  }

  private static RawHttp.Response call(InetSocketAddress to, String method, String... headers)
      throws Exception {
    try (RawHttp raw = RawHttp.connect(to)) {
      StringBuilder head = new StringBuilder(method + " /orders HTTP/1.1\r\nHost: orders\r\n");
      for (String header : headers) {
        head.append(header).append("\r\n");
      }
      return raw.send(head + "Content-Length: 0\r\n\r\n").read();
    }
  }

  private ClusterRuntime runtime() {
    return router.runtime("orders").orElseThrow();
  }

  @Test
  void aFailingInstanceIsRetriedOnAnotherSoEveryIdempotentCallSucceeds() throws Exception {
    BehaviourApp broken = app("broken", 503, 0);
    BehaviourApp healthy = app("healthy", 200, 0);
    start(
        action(Duration.ZERO, retry(2, Duration.ZERO, "5xx"), RouteAction.Fault.NONE),
        ClusterConfig.Limits.DEFAULT,
        broken,
        healthy);

    for (int i = 0; i < 10; i++) {
      RawHttp.Response response = call("GET");
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.text()).isEqualTo("healthy");
    }
    assertThat(broken.requests()).isGreaterThan(0);
    assertThat(runtime().stats().retries()).isEqualTo(broken.requests());
    assertThat(runtime().stats().responses(5)).isEqualTo(broken.requests());
  }

  @Test
  void aPostIsNeverRetriedUnlessTheRouteLetsAnIdempotencyKeyVouchForIt() throws Exception {
    BehaviourApp broken = app("broken", 503, 0);
    BehaviourApp healthy = app("healthy", 200, 0);
    start(
        action(Duration.ZERO, retry(2, Duration.ZERO, "5xx"), RouteAction.Fault.NONE),
        ClusterConfig.Limits.DEFAULT,
        broken,
        healthy);

    int failed = 0;
    for (int i = 0; i < 4; i++) {
      failed += call("POST").status() == 503 ? 1 : 0;
    }
    assertThat(failed).isEqualTo(2); // round robin: every other POST lands on the broken one
    assertThat(runtime().stats().retries()).isZero();

    // The same route opting in to Idempotency-Key: keyed POSTs are retried, others still not.
    HeaderMatcher idempotent =
        new HeaderMatcher(
            HeaderMatcher.METHOD,
            new StringMatcher.Regex(Pattern.compile("GET|HEAD|OPTIONS|TRACE|PUT|DELETE")),
            false);
    HeaderMatcher keyed = new HeaderMatcher("idempotency-key", new StringMatcher.Present(), false);
    RouteAction.Retry optIn =
        new RouteAction.Retry(
            2,
            Duration.ZERO,
            Set.of("5xx"),
            Duration.ofMillis(5),
            Duration.ofMillis(20),
            List.of(idempotent, keyed));
    sidecar.close();
    start(
        action(Duration.ZERO, optIn, RouteAction.Fault.NONE),
        ClusterConfig.Limits.DEFAULT,
        broken,
        healthy);
    int brokenBefore = broken.requests();
    for (int i = 0; i < 4; i++) {
      assertThat(call("POST", "Idempotency-Key: order-" + i).status()).isEqualTo(200);
    }
    // Every keyed POST that met the broken instance went again, to the healthy one.
    assertThat(runtime().stats().retries())
        .isPositive()
        .isEqualTo(broken.requests() - brokenBefore);
  }

  @Test
  void retriesStopAtTheRetryBudget() throws Exception {
    // Every try fails after a second: ten concurrent calls, a budget of 20 % of ten in flight.
    BehaviourApp slowFailure = app("failing", 503, 1000);
    start(
        action(Duration.ZERO, retry(1, Duration.ZERO, "5xx"), RouteAction.Fault.NONE),
        new ClusterConfig.Limits(1024, 1024, 1024, 3, 20.0, 1),
        slowFailure);

    ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
    List<Future<RawHttp.Response>> calls = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      calls.add(callers.submit(() -> call("GET")));
    }
    for (Future<RawHttp.Response> f : calls) {
      assertThat(f.get().status()).isEqualTo(503);
    }
    callers.shutdown();

    long retried = runtime().stats().retries();
    assertThat(retried).isLessThanOrEqualTo(2).isPositive();
    assertThat(runtime().breaker().overflows(Limit.RETRY_BUDGET)).isEqualTo(10 - retried);
    assertThat(slowFailure.requests()).isEqualTo(10 + (int) retried);
    await().until(() -> runtime().breaker().retries() == 0);
  }

  @Test
  void aTryThatOutlivesItsPerTryTimeoutIsRetriedElsewhere() throws Exception {
    BehaviourApp slow = app("slow", 200, 3000);
    BehaviourApp fast = app("fast", 200, 0);
    start(
        action(Duration.ZERO, retry(1, Duration.ofMillis(200), "5xx"), RouteAction.Fault.NONE),
        ClusterConfig.Limits.DEFAULT,
        slow,
        fast);

    for (int i = 0; i < 4; i++) {
      RawHttp.Response response = call("GET");
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.text()).isEqualTo("fast");
    }
    assertThat(runtime().stats().failures(ClusterStats.Failure.TIMEOUT))
        .isPositive()
        .isEqualTo(slow.requests());
    // The slow instance was told how long the try had: at most the per-try timeout.
    assertThat(slow.deadlines()).allSatisfy(d -> assertThat(Long.parseLong(d)).isBetween(1L, 200L));
  }

  @Test
  void theRouteTimeoutAnswers504AndTheCalleeIsToldItsDeadline() throws Exception {
    BehaviourApp slow = app("slow", 200, 3000);
    start(
        action(Duration.ofMillis(300), RouteAction.Retry.NONE, RouteAction.Fault.NONE),
        ClusterConfig.Limits.DEFAULT,
        slow);

    RawHttp.Response response = call("GET");

    assertThat(response.status()).isEqualTo(504);
    assertThat(response.text()).contains("upstream request timeout");
    assertThat(slow.deadlines())
        .singleElement()
        .satisfies(d -> assertThat(Long.parseLong(d)).isBetween(1L, 300L));
    assertThat(runtime().stats().localAnswers(ClusterStats.Local.REQUEST_TIMEOUT)).isEqualTo(1);
  }

  @Test
  void theCallersOwnDeadlineIsHonouredWhenItIsSoonerThanTheRoutes() throws Exception {
    BehaviourApp slow = app("slow", 200, 3000);
    start(
        action(Duration.ofSeconds(30), RouteAction.Retry.NONE, RouteAction.Fault.NONE),
        ClusterConfig.Limits.DEFAULT,
        slow);

    RawHttp.Response response = call("GET", "x-firemesh-timeout-ms: 250");

    assertThat(response.status()).isEqualTo(504);
    assertThat(Long.parseLong(slow.deadlines().getFirst())).isBetween(1L, 250L);
  }

  @Test
  void theInboundSideNeverForwardsARequestWhoseDeadlineHasPassed() throws Exception {
    BehaviourApp app = app("app", 200, 0);
    start(
        action(Duration.ZERO, RouteAction.Retry.NONE, RouteAction.Fault.NONE),
        ClusterConfig.Limits.DEFAULT,
        app);

    RawHttp.Response expired = call(sidecar.inboundAddress(), "GET", "x-firemesh-timeout-ms: 0");
    RawHttp.Response grpcExpired =
        call(
            sidecar.inboundAddress(), "POST", "content-type: application/grpc", "grpc-timeout: 0m");
    RawHttp.Response inTime = call(sidecar.inboundAddress(), "GET", "x-firemesh-timeout-ms: 5000");

    assertThat(expired.status()).isEqualTo(504);
    assertThat(grpcExpired.status()).isEqualTo(200);
    assertThat(grpcExpired.header("grpc-status")).isEqualTo("4");
    assertThat(inTime.status()).isEqualTo(200);
    assertThat(app.requests()).isEqualTo(1);
    assertThat(sidecar.stats().localApp().stats().localAnswers(ClusterStats.Local.REQUEST_TIMEOUT))
        .isEqualTo(2);
  }

  @Test
  void theInboundSideCutsOffTheAppWhenTheCallersDeadlinePasses() throws Exception {
    BehaviourApp slow = app("slow", 200, 3000);
    start(
        action(Duration.ZERO, RouteAction.Retry.NONE, RouteAction.Fault.NONE),
        ClusterConfig.Limits.DEFAULT,
        slow);

    RawHttp.Response response = call(sidecar.inboundAddress(), "GET", "x-firemesh-timeout-ms: 200");

    assertThat(response.status()).isEqualTo(504);
    assertThat(Long.parseLong(slow.deadlines().getFirst())).isBetween(1L, 200L);
  }

  @Test
  void pastMaxRequestsCallsFailAtOnceNamingTheLimit() throws Exception {
    BehaviourApp slow = app("slow", 200, 1500);
    start(
        action(Duration.ZERO, RouteAction.Retry.NONE, RouteAction.Fault.NONE),
        new ClusterConfig.Limits(1024, 1024, 2, 3),
        slow);

    ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
    List<Future<RawHttp.Response>> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(callers.submit(() -> call("GET")));
    }
    int ok = 0;
    int overflowed = 0;
    for (Future<RawHttp.Response> f : calls) {
      RawHttp.Response response = f.get();
      if (response.status() == 200) {
        ok++;
      } else {
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header("x-firemesh-overflow")).isEqualTo("max_requests");
        overflowed++;
      }
    }
    callers.shutdown();
    assertThat(ok).isEqualTo(2);
    assertThat(overflowed).isEqualTo(3);
    assertThat(slow.requests()).isEqualTo(2);
    assertThat(runtime().breaker().overflows(Limit.MAX_REQUESTS)).isEqualTo(3);
    // The slot goes back just after the answer is written.
    await().until(() -> runtime().breaker().requests() == 0);
  }

  @Test
  void pastMaxConnectionsANewConnectionIsRefusedAtOnce() throws Exception {
    BehaviourApp slow = app("slow", 200, 1500);
    start(
        action(Duration.ZERO, RouteAction.Retry.NONE, RouteAction.Fault.NONE),
        new ClusterConfig.Limits(1, 1024, 1024, 3),
        slow);

    ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
    Future<RawHttp.Response> first = callers.submit(() -> call("GET"));
    while (slow.requests() == 0) {
      Thread.sleep(10);
    }
    RawHttp.Response second = call("GET");
    callers.shutdown();

    assertThat(second.status()).isEqualTo(503);
    assertThat(second.header("x-firemesh-overflow")).isEqualTo("max_connections");
    assertThat(first.get().status()).isEqualTo(200);
    // The first call's connection went back to the pool: the next call reuses it.
    assertThat(call("GET").status()).isEqualTo(200);
  }

  @Test
  void anInjectedAbortHitsOnlyRequestsCarryingTheChosenHeader() throws Exception {
    BehaviourApp app = app("app", 200, 0);
    RouteAction.Fault chaos =
        new RouteAction.Fault(
            0,
            Duration.ZERO,
            100,
            503,
            0,
            List.of(new HeaderMatcher("x-chaos", new StringMatcher.Exact("on"), false)));
    start(action(Duration.ZERO, RouteAction.Retry.NONE, chaos), ClusterConfig.Limits.DEFAULT, app);

    RawHttp.Response aimed = call("GET", "x-chaos: on");
    RawHttp.Response other = call("GET");

    assertThat(aimed.status()).isEqualTo(503);
    assertThat(aimed.header("x-firemesh-fault")).isEqualTo("abort");
    assertThat(other.status()).isEqualTo(200);
    assertThat(app.requests()).isEqualTo(1);
    assertThat(runtime().stats().localAnswers(ClusterStats.Local.FAULT_ABORT)).isEqualTo(1);
    await().until(() -> runtime().breaker().requests() == 0);
  }

  @Test
  void anInjectedDelayCountsAgainstTheRouteTimeout() throws Exception {
    BehaviourApp app = app("app", 200, 0);
    RouteAction.Fault slowDown = new RouteAction.Fault(100, Duration.ofMillis(400), 0, 0, 0);
    start(
        action(Duration.ofMillis(150), RouteAction.Retry.NONE, slowDown),
        ClusterConfig.Limits.DEFAULT,
        app);

    assertThat(call("GET").status()).isEqualTo(504);
    assertThat(app.requests()).isZero();
    assertThat(runtime().stats().localAnswers(ClusterStats.Local.FAULT_DELAY)).isEqualTo(1);
  }

  @Test
  void aSlowInstanceIsEjectedAndTrafficMovesAway() throws Exception {
    // Tries to the slow instance time out (gateway errors); two in a row eject it for 30 s.
    BehaviourApp slow = app("slow", 200, 3000);
    BehaviourApp fast = app("fast", 200, 0);
    ClusterConfig.OutlierDetection ejectSlow =
        new ClusterConfig.OutlierDetection(
            0, 2, Duration.ofSeconds(10), Duration.ofSeconds(30), 50);
    start(
        action(
            Duration.ZERO,
            retry(1, Duration.ofMillis(200), "gateway-error"),
            RouteAction.Fault.NONE),
        ClusterConfig.Limits.DEFAULT,
        ejectSlow,
        slow,
        fast);

    for (int i = 0; i < 4; i++) {
      assertThat(call("GET").text()).isEqualTo("fast");
    }
    int slowTries = slow.requests();
    for (int i = 0; i < 10; i++) {
      assertThat(call("GET").text()).isEqualTo("fast");
    }

    assertThat(slowTries).isBetween(2, 3);
    assertThat(slow.requests()).as("tries sent to the ejected instance").isEqualTo(slowTries);
    assertThat(runtime().stats().failures(ClusterStats.Failure.TIMEOUT)).isEqualTo(slowTries);
  }
}
