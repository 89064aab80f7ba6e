package dev.firemesh.traffic.route;

import static dev.firemesh.traffic.route.Configs.cluster;
import static dev.firemesh.traffic.route.Configs.config;
import static dev.firemesh.traffic.route.Configs.endpoint;
import static dev.firemesh.traffic.route.Configs.route;
import static dev.firemesh.traffic.route.Configs.service;
import static dev.firemesh.traffic.route.Configs.to;
import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.traffic.circuit.Limit;
import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.ClusterConfig.BalancerPolicy;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.RequestMatch;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetargetAndOverflowTest {

  private static DataPlaneConfig orders(ClusterConfig.Limits limits, BalancerPolicy policy) {
    ClusterConfig cluster =
        cluster(
            "orders",
            policy,
            endpoint("10.0.0.1", 80),
            endpoint("10.0.0.2", 80),
            endpoint("10.0.0.3", 80));
    ClusterConfig limited =
        new ClusterConfig(
            cluster.name(),
            cluster.protocol(),
            cluster.balancer(),
            cluster.connectTimeout(),
            cluster.idleTimeout(),
            limits,
            cluster.outlierDetection(),
            cluster.endpoints());
    return config(
        "1",
        List.of(service("orders", route("all", RequestMatch.ANY, to("orders")))),
        List.of(limited));
  }

  @Test
  void aRetryGoesToAnEndpointNotTriedYet() {
    SnapshotRouter router =
        new SnapshotRouter(orders(ClusterConfig.Limits.DEFAULT, BalancerPolicy.RANDOM));
    RouteResult.Routed first = (RouteResult.Routed) router.route("orders", Request.get("/"));
    first.lease().close(Outcome.response(503));
    String tried = first.endpoint().hostPort();

    for (int i = 0; i < 50; i++) {
      RouteResult.Routed again =
          (RouteResult.Routed) router.retarget(first, Request.get("/"), Set.of(tried));
      assertThat(again.endpoint().hostPort()).isNotEqualTo(tried);
      assertThat(again.cluster().name()).isEqualTo("orders");
      again.lease().close();
    }
  }

  @Test
  void whenEveryEndpointWasTriedARetryStillGoesSomewhere() {
    SnapshotRouter router =
        new SnapshotRouter(orders(ClusterConfig.Limits.DEFAULT, BalancerPolicy.ROUND_ROBIN));
    RouteResult.Routed first = (RouteResult.Routed) router.route("orders", Request.get("/"));
    first.lease().close();
    RouteResult again =
        router.retarget(
            first, Request.get("/"), Set.of("10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80"));
    assertThat(again).isInstanceOf(RouteResult.Routed.class);
  }

  @Test
  void pastMaxRequestsTheRouterOverflowsUntilALeaseCloses() {
    SnapshotRouter router =
        new SnapshotRouter(
            orders(new ClusterConfig.Limits(1024, 1024, 2, 3), BalancerPolicy.ROUND_ROBIN));
    RouteResult.Routed a = (RouteResult.Routed) router.route("orders", Request.get("/"));
    RouteResult.Routed b = (RouteResult.Routed) router.route("orders", Request.get("/"));

    assertThat(router.route("orders", Request.get("/")))
        .isEqualTo(new RouteResult.Overflow("orders", Limit.MAX_REQUESTS));
    assertThat(router.runtime("orders").orElseThrow().breaker().requests()).isEqualTo(2);

    a.lease().close();
    a.lease().close(); // a second close releases nothing more
    assertThat(router.route("orders", Request.get("/"))).isInstanceOf(RouteResult.Routed.class);
    b.lease().close();
  }

  @Test
  void theBreakerAndCountersOutliveAConfigurationUpdate() {
    SnapshotRouter router =
        new SnapshotRouter(orders(ClusterConfig.Limits.DEFAULT, BalancerPolicy.ROUND_ROBIN));
    ClusterRuntime before = router.runtime("orders").orElseThrow();
    RouteResult.Routed inFlight = (RouteResult.Routed) router.route("orders", Request.get("/"));

    router.update(orders(new ClusterConfig.Limits(1024, 1024, 1, 3), BalancerPolicy.ROUND_ROBIN));

    assertThat(router.runtime("orders")).containsSame(before);
    assertThat(router.route("orders", Request.get("/")))
        .isEqualTo(new RouteResult.Overflow("orders", Limit.MAX_REQUESTS));
    inFlight.lease().close();
    assertThat(before.breaker().requests()).isZero();
  }
}
