package dev.firemesh.traffic.route;

import static dev.firemesh.traffic.route.Configs.config;
import static dev.firemesh.traffic.route.Configs.route;
import static dev.firemesh.traffic.route.Configs.service;
import static dev.firemesh.traffic.route.Configs.to;
import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.ClusterConfig.BalancerPolicy;
import dev.firemesh.traffic.config.ClusterConfig.HealthCheck;
import dev.firemesh.traffic.config.ClusterConfig.OutlierDetection;
import dev.firemesh.traffic.config.ClusterConfig.SuccessRate;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.Endpoint;
import dev.firemesh.traffic.config.RequestMatch;
import dev.firemesh.traffic.health.EjectionReason;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Endpoint health as the router applies it: outcomes of requests eject endpoints, active check
 * results take them out and bring them back, and the balancer skips whatever is unhealthy. Time is
 * a manual clock: nothing here sleeps.
 */
class EndpointHealthRoutingTest {
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final Duration BASE = Duration.ofSeconds(10);
  private static final Endpoint A = at("10.0.0.1", 0);
  private static final Endpoint B = at("10.0.0.2", 0);
  private static final Endpoint C = at("10.0.0.3", 0);

  private final ManualClock clock = new ManualClock();

  @Test
  void consecutive5xxEjectsTheEndpointAndTrafficMovesAway() {
    AtomicInteger signals = new AtomicInteger();
    SnapshotRouter router = router(detection(3, 0, 50), List.of(A, B, C));
    router.onHealthDue(signals::incrementAndGet);
    router.evaluateHealth();

    send(router, 60, e -> e.equals(B) ? Outcome.response(500) : Outcome.response(200));

    assertThat(signals).hasValue(1); // the crossing asks for an evaluation, once
    router.evaluateHealth();
    assertThat(reached(router, 60)).containsExactlyInAnyOrder(A, C);
    assertThat(health(router, B).ejected()).isTrue();
    assertThat(health(router, B).lastEjectionReason()).contains(EjectionReason.CONSECUTIVE_5XX);
    assertThat(
            router
                .cluster("orders")
                .orElseThrow()
                .health()
                .ejections(EjectionReason.CONSECUTIVE_5XX))
        .isEqualTo(1);
  }

  @Test
  void timeoutsEjectLikeServerErrors() {
    SnapshotRouter router = router(detection(3, 0, 50), List.of(A, B, C));
    router.evaluateHealth();

    send(router, 30, e -> e.equals(C) ? Outcome.TIMEOUT : Outcome.response(200));
    router.evaluateHealth();

    assertThat(reached(router, 60)).containsExactlyInAnyOrder(A, B);
  }

  @Test
  void aSuccessInBetweenStartsTheCountAgain() {
    SnapshotRouter router = router(detection(3, 0, 50), List.of(A));
    router.evaluateHealth();
    for (int i = 0; i < 10; i++) {
      close(router, Outcome.response(503));
      close(router, Outcome.response(503));
      close(router, Outcome.response(200));
    }
    router.evaluateHealth();
    assertThat(health(router, A).ejected()).isFalse();
  }

  @Test
  void gatewayErrorsCountOnly502To504AndFailures() {
    SnapshotRouter router = router(detection(0, 2, 50), List.of(A, B, C));
    router.evaluateHealth();

    send(router, 30, e -> e.equals(A) ? Outcome.response(500) : Outcome.response(200));
    router.evaluateHealth();
    assertThat(reached(router, 30)).containsExactlyInAnyOrder(A, B, C);

    send(router, 30, e -> e.equals(A) ? Outcome.RESET : Outcome.response(200));
    router.evaluateHealth();
    assertThat(reached(router, 30)).containsExactlyInAnyOrder(B, C);
    assertThat(health(router, A).lastEjectionReason())
        .contains(EjectionReason.CONSECUTIVE_GATEWAY_ERRORS);
  }

  @Test
  void successRateEjectsTheEndpointFarBelowTheOthers() {
    List<Endpoint> five = List.of(A, B, C, at("10.0.0.4", 0), at("10.0.0.5", 0));
    OutlierDetection rate =
        new OutlierDetection(
            0,
            0,
            INTERVAL,
            BASE,
            20,
            new SuccessRate(true, 5, 20, 1.9),
            OutlierDetection.DEFAULT_MAX_EJECTION_TIME);
    SnapshotRouter router = router(rate, five);
    router.evaluateHealth();
    AtomicInteger toB = new AtomicInteger();
    // B fails every other request, never twice in a row; the others never fail.
    send(
        router,
        500,
        e ->
            e.equals(B) && toB.incrementAndGet() % 2 == 0
                ? Outcome.response(500)
                : Outcome.response(200));

    router.evaluateHealth();
    assertThat(health(router, B).ejected()).as("no sweep before the interval ends").isFalse();
    clock.advance(INTERVAL);
    router.evaluateHealth();

    assertThat(health(router, B).lastEjectionReason()).contains(EjectionReason.SUCCESS_RATE);
    assertThat(reached(router, 100)).doesNotContain(B).hasSize(4);
  }

  @Test
  void successRateNeedsEnoughEndpointsWithEnoughRequests() {
    OutlierDetection rate =
        new OutlierDetection(
            0,
            0,
            INTERVAL,
            BASE,
            100,
            new SuccessRate(true, 5, 20, 1.9),
            OutlierDetection.DEFAULT_MAX_EJECTION_TIME);
    SnapshotRouter router = router(rate, List.of(A, B, C));
    router.evaluateHealth();
    send(router, 300, e -> e.equals(B) ? Outcome.response(500) : Outcome.response(200));
    clock.advance(INTERVAL);
    router.evaluateHealth();
    assertThat(health(router, B).ejected()).isFalse();
  }

  @Test
  void ejectionLastsLongerEachTimeAndEndsAtTheSweep() {
    SnapshotRouter router = router(detection(1, 0, 50), List.of(A, B));
    router.evaluateHealth();

    ejectA(router);
    assertThat(health(router, A).ejectedUntil()).contains(clock.instant().plus(BASE));
    clock.advance(BASE.minusSeconds(1));
    router.evaluateHealth();
    assertThat(reached(router, 20)).containsExactly(B);
    clock.advance(Duration.ofSeconds(1));
    router.evaluateHealth();
    assertThat(reached(router, 20)).containsExactlyInAnyOrder(A, B);

    ejectA(router); // at once again: twice the base time
    assertThat(health(router, A).ejectedUntil())
        .contains(clock.instant().plus(BASE.multipliedBy(2)));
    clock.advance(BASE.multipliedBy(2));
    router.evaluateHealth();
    assertThat(health(router, A).ejected()).isFalse();

    // Intervals in service shorten the next ejection again, one step per interval.
    clock.advance(INTERVAL);
    router.evaluateHealth();
    ejectA(router);
    assertThat(health(router, A).ejectedUntil())
        .contains(clock.instant().plus(BASE.multipliedBy(2)));
    assertThat(health(router, A).ejections()).isEqualTo(3);
  }

  @Test
  void ejectionTimeStopsGrowingAtTheMaximum() {
    OutlierDetection capped =
        new OutlierDetection(
            1, 0, INTERVAL, BASE, 50, SuccessRate.DISABLED, Duration.ofSeconds(25));
    SnapshotRouter router = router(capped, List.of(A, B));
    router.evaluateHealth();
    for (int i = 0; i < 4; i++) {
      ejectA(router);
      clock.advance(Duration.ofSeconds(25));
      router.evaluateHealth();
      assertThat(health(router, A).ejected()).isFalse();
    }
    ejectA(router);
    assertThat(health(router, A).ejectedUntil()).contains(clock.instant().plusSeconds(25));
  }

  @Test
  void theCapLimitsHowManyAreEjectedButOneAlwaysMayBe() {
    List<Endpoint> four = List.of(A, B, C, at("10.0.0.4", 0));
    SnapshotRouter tenPercent = router(detection(2, 0, 10), four);
    tenPercent.evaluateHealth();
    send(tenPercent, 80, e -> Outcome.response(503));
    tenPercent.evaluateHealth();
    assertThat(tenPercent.cluster("orders").orElseThrow().health().ejectedCount()).isEqualTo(1);

    SnapshotRouter half = router(detection(2, 0, 50), four);
    half.evaluateHealth();
    send(half, 80, e -> Outcome.response(503));
    half.evaluateHealth();
    assertThat(half.cluster("orders").orElseThrow().health().ejectedCount()).isEqualTo(2);
    assertThat(reached(half, 40)).hasSize(2);
  }

  @Test
  void tooFewHealthyEndpointsPanicAndBalanceOverAll() {
    SnapshotRouter router = router(detection(2, 0, 100), List.of(A, B, C));
    router.evaluateHealth();
    send(router, 60, e -> e.equals(C) ? Outcome.response(200) : Outcome.response(503));
    router.evaluateHealth();

    ClusterStateView state = view(router);
    assertThat(state.ejected()).isEqualTo(2);
    assertThat(state.panic()).isTrue();
    assertThat(reached(router, 60)).containsExactlyInAnyOrder(A, B, C);
  }

  @Test
  void aPanicThresholdOfZeroSendsOnlyToHealthyEndpointsAndThenNowhere() {
    SnapshotRouter router = router(detection(2, 0, 100), List.of(A, B, C), 0);
    router.evaluateHealth();
    send(router, 60, e -> e.equals(C) ? Outcome.response(200) : Outcome.response(503));
    router.evaluateHealth();
    assertThat(reached(router, 30)).containsExactly(C);

    send(router, 10, e -> Outcome.response(503));
    router.evaluateHealth();
    assertThat(router.route("orders", Request.get("/"))).isInstanceOf(RouteResult.NoEndpoint.class);
  }

  @Test
  void activeChecksTakeAnEndpointOutAfterTheThresholdAndBringItBack() {
    HealthCheck check =
        new HealthCheck(
            HealthCheck.Type.HTTP, "/health", "orders", INTERVAL, Duration.ofSeconds(1), 2, 3);
    SnapshotRouter router =
        new SnapshotRouter(
            config(cluster(OutlierDetection.DISABLED, List.of(A, B, C)).withHealthCheck(check)),
            new Random(1),
            clock);

    router.recordHealthCheck("orders", A.hostPort(), false);
    assertThat(reached(router, 30)).contains(A);
    router.recordHealthCheck("orders", A.hostPort(), false);
    assertThat(reached(router, 30)).containsExactlyInAnyOrder(B, C);
    assertThat(health(router, A).failingActiveCheck()).isTrue();

    router.recordHealthCheck("orders", A.hostPort(), true);
    router.recordHealthCheck("orders", A.hostPort(), true);
    router.recordHealthCheck("orders", A.hostPort(), false); // starts the count again
    router.recordHealthCheck("orders", A.hostPort(), true);
    router.recordHealthCheck("orders", A.hostPort(), true);
    assertThat(reached(router, 30)).containsExactlyInAnyOrder(B, C);
    router.recordHealthCheck("orders", A.hostPort(), true);
    assertThat(reached(router, 30)).containsExactlyInAnyOrder(A, B, C);
    assertThat(router.cluster("orders").orElseThrow().health().checksFailed()).isEqualTo(3);
  }

  @Test
  void aLevelWithoutEnoughHealthyEndpointsFailsOverToTheNext() {
    HealthCheck check =
        new HealthCheck(HealthCheck.Type.TCP, "", "", INTERVAL, Duration.ofSeconds(1), 1, 1);
    Endpoint near1 = at("10.0.1.1", 0);
    Endpoint near2 = at("10.0.1.2", 0);
    Endpoint near3 = at("10.0.1.3", 0);
    Endpoint far1 = at("10.0.2.1", 1);
    Endpoint far2 = at("10.0.2.2", 1);
    SnapshotRouter router =
        new SnapshotRouter(
            config(
                cluster(OutlierDetection.DISABLED, List.of(near1, near2, near3, far1, far2))
                    .withHealthCheck(check)),
            new Random(1),
            clock);
    assertThat(reached(router, 30)).containsExactlyInAnyOrder(near1, near2, near3);

    router.recordHealthCheck("orders", near1.hostPort(), false);
    assertThat(reached(router, 30)).containsExactlyInAnyOrder(near2, near3); // 67 % healthy

    router.recordHealthCheck("orders", near2.hostPort(), false);
    assertThat(reached(router, 30)).containsExactlyInAnyOrder(far1, far2); // 33 %: next level

    router.recordHealthCheck("orders", far1.hostPort(), false);
    router.recordHealthCheck("orders", far2.hostPort(), false);
    // No level has enough: panic in the first level that still has a healthy endpoint.
    assertThat(reached(router, 30)).containsExactlyInAnyOrder(near1, near2, near3);
    assertThat(view(router).panic()).isTrue();
  }

  @Test
  void healthSurvivesConfigurationUpdatesThatKeepTheEndpoint() {
    SnapshotRouter router = router(detection(1, 0, 50), List.of(A, B));
    router.evaluateHealth();
    ejectA(router);

    router.update(config(cluster(detection(1, 0, 50), List.of(A, B, C))));
    assertThat(reached(router, 30)).containsExactlyInAnyOrder(B, C);

    router.update(config(cluster(OutlierDetection.DISABLED, List.of(A, B, C))));
    assertThat(reached(router, 30))
        .as("turning detection off forgets ejections")
        .containsExactlyInAnyOrder(A, B, C);
  }

  @Test
  void withoutDetectionOutcomesChangeNothing() {
    SnapshotRouter router = router(OutlierDetection.DISABLED, List.of(A, B));
    send(router, 50, e -> Outcome.CONNECT_FAILURE);
    router.evaluateHealth();
    assertThat(reached(router, 20)).containsExactlyInAnyOrder(A, B);
  }

  @Test
  void aLeaseClosedWithoutOutcomeTeachesNothing() {
    SnapshotRouter router = router(detection(1, 0, 50), List.of(A, B));
    router.evaluateHealth();
    for (int i = 0; i < 10; i++) {
      RouteResult.Routed routed = (RouteResult.Routed) router.route("orders", Request.get("/"));
      routed.lease().close();
      routed.lease().close(Outcome.RESET); // only the first close counts
    }
    router.evaluateHealth();
    assertThat(view(router).ejected()).isZero();
  }

  // ---- helpers ----

  private void ejectA(SnapshotRouter router) {
    for (int i = 0; i < 20; i++) {
      RouteResult.Routed routed = (RouteResult.Routed) router.route("orders", Request.get("/"));
      routed.lease().close(routed.endpoint().equals(A) ? Outcome.RESET : Outcome.response(200));
      if (health(router, A).ejected()) {
        return;
      }
      router.evaluateHealth();
    }
    throw new AssertionError("A was not ejected");
  }

  private record ClusterStateView(int ejected, boolean panic) {}

  private static ClusterStateView view(SnapshotRouter router) {
    var state = router.cluster("orders").orElseThrow();
    return new ClusterStateView(state.health().ejectedCount(), state.panic());
  }

  private static dev.firemesh.traffic.health.EndpointHealth health(
      SnapshotRouter router, Endpoint endpoint) {
    return router.cluster("orders").orElseThrow().health().endpoint(endpoint.hostPort());
  }

  /**
   * Routes {@code count} requests and closes each with what {@code outcome} says its endpoint did.
   */
  private static void send(SnapshotRouter router, int count, Function<Endpoint, Outcome> outcome) {
    for (int i = 0; i < count; i++) {
      RouteResult.Routed routed = (RouteResult.Routed) router.route("orders", Request.get("/"));
      routed.lease().close(outcome.apply(routed.endpoint()));
    }
  }

  private static void close(SnapshotRouter router, Outcome outcome) {
    ((RouteResult.Routed) router.route("orders", Request.get("/"))).lease().close(outcome);
  }

  private static Set<Endpoint> reached(SnapshotRouter router, int requests) {
    Set<Endpoint> reached = new HashSet<>();
    for (int i = 0; i < requests; i++) {
      RouteResult.Routed routed = (RouteResult.Routed) router.route("orders", Request.get("/"));
      reached.add(routed.endpoint());
      routed.lease().close();
    }
    return reached;
  }

  private SnapshotRouter router(OutlierDetection detection, List<Endpoint> endpoints) {
    return router(detection, endpoints, ClusterConfig.DEFAULT_PANIC_THRESHOLD);
  }

  private SnapshotRouter router(
      OutlierDetection detection, List<Endpoint> endpoints, double panicThreshold) {
    return new SnapshotRouter(
        config(cluster(detection, endpoints).withPanicThreshold(panicThreshold)),
        new Random(7),
        clock);
  }

  static OutlierDetection detection(int consecutive5xx, int gatewayErrors, int maxPercent) {
    return new OutlierDetection(consecutive5xx, gatewayErrors, INTERVAL, BASE, maxPercent);
  }

  static ClusterConfig cluster(OutlierDetection detection, List<Endpoint> endpoints) {
    return new ClusterConfig(
        "orders",
        ClusterConfig.Protocol.HTTP1,
        BalancerPolicy.ROUND_ROBIN,
        Duration.ofSeconds(1),
        Duration.ofMinutes(1),
        ClusterConfig.Limits.DEFAULT,
        detection,
        endpoints);
  }

  static DataPlaneConfig config(ClusterConfig cluster) {
    return Configs.config(
        "1",
        List.of(service("orders", route("all", RequestMatch.ANY, to("orders")))),
        List.of(cluster));
  }

  private static Endpoint at(String address, int priority) {
    return new Endpoint(address, 8080, "eu", "eu-1", 1, priority);
  }
}
