package dev.firemesh.traffic.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.traffic.balance.ClusterState;
import dev.firemesh.traffic.config.ClusterConfig.HealthCheck;
import dev.firemesh.traffic.config.ClusterConfig.OutlierDetection;
import dev.firemesh.traffic.config.Endpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Invariants of endpoint health under arbitrary failures, checks and passing time. */
class EndpointHealthPropertiesTest {

  @Property(tries = 200)
  void neverMoreEjectedThanTheCapAllowsAndPanicNeverLeavesNothingToSendTo(
      @ForAll @IntRange(min = 1, max = 12) int endpoints,
      @ForAll @IntRange(min = 0, max = 100) int maxEjectionPercent,
      @ForAll @IntRange(min = 1, max = 100) int panicThreshold,
      @ForAll @IntRange(min = 1, max = 3) int priorities,
      @ForAll long seed) {
    Random random = new Random(seed);
    List<Endpoint> list = new ArrayList<>();
    for (int i = 0; i < endpoints; i++) {
      list.add(new Endpoint("10.0.0." + (i + 1), 8080, "eu", "eu-1", 1, i % priorities));
    }
    OutlierDetection detection =
        new OutlierDetection(
            2, 2, Duration.ofSeconds(1), Duration.ofSeconds(5), maxEjectionPercent);
    HealthCheck check =
        new HealthCheck(
            HealthCheck.Type.TCP, "", "", Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 1);
    ManualClock clock = new ManualClock();
    SnapshotRouter router =
        new SnapshotRouter(
            EndpointHealthRoutingTest.config(
                EndpointHealthRoutingTest.cluster(detection, list)
                    .withHealthCheck(check)
                    .withPanicThreshold(panicThreshold)),
            random,
            clock);
    int cap = Math.max(1, endpoints * maxEjectionPercent / 100);
    router.evaluateHealth();
    for (int step = 0; step < 300; step++) {
      switch (random.nextInt(4)) {
        case 0 -> {
          RouteResult.Routed routed = (RouteResult.Routed) router.route("orders", Request.get("/"));
          routed.lease().close(random.nextInt(3) == 0 ? Outcome.response(200) : Outcome.RESET);
        }
        case 1 ->
            router.recordHealthCheck(
                "orders", list.get(random.nextInt(endpoints)).hostPort(), random.nextBoolean());
        case 2 -> clock.advance(Duration.ofMillis(random.nextInt(3000)));
        default -> router.evaluateHealth();
      }
      ClusterState state = router.cluster("orders").orElseThrow();
      assertThat(state.health().ejectedCount()).isLessThanOrEqualTo(cap);
      assertThat(state.servingEndpoints()).isNotEmpty();
      assertThat(router.route("orders", Request.get("/")))
          .isInstanceOfSatisfying(RouteResult.Routed.class, r -> r.lease().close());
    }
  }
}
