package dev.firemesh.traffic.route;

import static dev.firemesh.traffic.config.ClusterConfig.BalancerPolicy.LEAST_REQUEST;
import static dev.firemesh.traffic.config.ClusterConfig.BalancerPolicy.RANDOM;
import static dev.firemesh.traffic.config.ClusterConfig.BalancerPolicy.RING_HASH;
import static dev.firemesh.traffic.config.ClusterConfig.BalancerPolicy.ROUND_ROBIN;
import static dev.firemesh.traffic.route.Configs.cluster;
import static dev.firemesh.traffic.route.Configs.config;
import static dev.firemesh.traffic.route.Configs.endpoint;
import static dev.firemesh.traffic.route.Configs.route;
import static dev.firemesh.traffic.route.Configs.service;
import static dev.firemesh.traffic.route.Configs.to;
import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.Endpoint;
import dev.firemesh.traffic.config.HeaderMatcher;
import dev.firemesh.traffic.config.PathMatcher;
import dev.firemesh.traffic.config.RequestMatch;
import dev.firemesh.traffic.config.StringMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SnapshotRouterTest {
  private static final Endpoint A1 = endpoint("10.0.0.1", 8080);
  private static final Endpoint A2 = endpoint("10.0.0.2", 8080);
  private static final Endpoint B1 = endpoint("10.0.1.1", 8080);

  @Test
  void aServiceNobodyConfiguredIsUnknown() {
    SnapshotRouter router = new SnapshotRouter();
    assertThat(router.route("orders", Request.get("/")))
        .isEqualTo(new RouteResult.UnknownService("orders"));
  }

  @Test
  void aRequestNoRouteMatchesHasNoRoute() {
    SnapshotRouter router =
        routerWith(route("api", match(new PathMatcher.Prefix("/api")), to("a")));
    assertThat(router.route("orders", Request.get("/admin")))
        .isEqualTo(new RouteResult.NoRoute("orders"));
  }

  @Test
  void theFirstMatchingRouteWinsInTheOrderConfigured() {
    SnapshotRouter apiFirst =
        routerWith(
            route("api", match(new PathMatcher.Prefix("/api")), to("a")),
            route("rest", RequestMatch.ANY, to("b")));
    assertThat(clusterOf(apiFirst.route("orders", Request.get("/api/orders")))).isEqualTo("a");
    assertThat(clusterOf(apiFirst.route("orders", Request.get("/other")))).isEqualTo("b");

    SnapshotRouter catchAllFirst =
        routerWith(
            route("rest", RequestMatch.ANY, to("b")),
            route("api", match(new PathMatcher.Prefix("/api")), to("a")));
    assertThat(clusterOf(catchAllFirst.route("orders", Request.get("/api/orders")))).isEqualTo("b");
  }

  @Test
  void pathsMatchExactlyByPrefixOrByAWholeRegex() {
    SnapshotRouter router =
        routerWith(
            route("exact", match(new PathMatcher.Exact("/health")), to("a")),
            route("regex", match(new PathMatcher.Regex(Pattern.compile("/orders/\\d+"))), to("b")));
    assertThat(clusterOf(router.route("orders", Request.get("/health")))).isEqualTo("a");
    assertThat(router.route("orders", Request.get("/health/deep")))
        .isInstanceOf(RouteResult.NoRoute.class);
    assertThat(clusterOf(router.route("orders", Request.get("/orders/42")))).isEqualTo("b");
    assertThat(router.route("orders", Request.get("/orders/42/lines")))
        .isInstanceOf(RouteResult.NoRoute.class);
  }

  @Test
  void headersAndTheMethodSelectRoutes() {
    SnapshotRouter router =
        routerWith(
            route(
                "canary",
                match(header("x-canary", new StringMatcher.Exact("yes"), false)),
                to("b")),
            route(
                "writes",
                match(
                    header(
                        HeaderMatcher.METHOD,
                        new StringMatcher.Regex(Pattern.compile("POST|PUT")),
                        false)),
                to("b")),
            route("eu", match(header("x-region", new StringMatcher.Prefix("eu-"), false)), to("b")),
            route(
                "traced",
                match(header("traceparent", new StringMatcher.Present(), false)),
                to("b")),
            route("rest", RequestMatch.ANY, to("a")));

    assertThat(clusterOf(router.route("orders", Request.get("/").with("x-canary", "yes"))))
        .isEqualTo("b");
    assertThat(clusterOf(router.route("orders", Request.get("/").with("x-canary", "yes!"))))
        .isEqualTo("a");
    assertThat(clusterOf(router.route("orders", new Request("PUT", "/", Map.of())))).isEqualTo("b");
    assertThat(clusterOf(router.route("orders", new Request("DELETE", "/", Map.of()))))
        .isEqualTo("a");
    assertThat(clusterOf(router.route("orders", Request.get("/").with("x-region", "eu-west"))))
        .isEqualTo("b");
    assertThat(clusterOf(router.route("orders", Request.get("/").with("x-region", "us-east"))))
        .isEqualTo("a");
    assertThat(clusterOf(router.route("orders", Request.get("/").with("traceparent", "00-1"))))
        .isEqualTo("b");
    assertThat(clusterOf(router.route("orders", Request.get("/")))).isEqualTo("a");
  }

  @Test
  void anInvertedHeaderConditionMatchesAbsentAndDifferentValues() {
    SnapshotRouter router =
        routerWith(
            route(
                "not-internal",
                match(header("x-internal", new StringMatcher.Exact("true"), true)),
                to("b")),
            route("rest", RequestMatch.ANY, to("a")));
    assertThat(clusterOf(router.route("orders", Request.get("/")))).isEqualTo("b");
    assertThat(clusterOf(router.route("orders", Request.get("/").with("x-internal", "false"))))
        .isEqualTo("b");
    assertThat(clusterOf(router.route("orders", Request.get("/").with("x-internal", "true"))))
        .isEqualTo("a");
  }

  @Test
  void aRouteToAClusterNotConfiguredNamesTheCluster() {
    SnapshotRouter router = routerWith(route("r", RequestMatch.ANY, to("missing")));
    assertThat(router.route("orders", Request.get("/")))
        .isEqualTo(new RouteResult.UnknownCluster("missing"));
  }

  @Test
  void aClusterWithoutEndpointsHasNoEndpoint() {
    SnapshotRouter router = routerWith(route("r", RequestMatch.ANY, to("empty")));
    assertThat(router.route("orders", Request.get("/")))
        .isEqualTo(new RouteResult.NoEndpoint("empty"));
  }

  @Test
  void clustersOfZeroWeightAreNeverChosen() {
    SnapshotRouter router =
        routerWith(route("r", RequestMatch.ANY, to("a", 0), to("b", 7), to("missing", 0)));
    for (int i = 0; i < 1_000; i++) {
      assertThat(clusterOf(router.route("orders", Request.get("/")))).isEqualTo("b");
    }
    SnapshotRouter nothing = routerWith(route("r", RequestMatch.ANY, to("a", 0), to("b", 0)));
    assertThat(nothing.route("orders", Request.get("/")))
        .isEqualTo(new RouteResult.UnknownCluster(""));
    SnapshotRouter none = routerWith(route("r", RequestMatch.ANY));
    assertThat(none.route("orders", Request.get("/")))
        .isEqualTo(new RouteResult.UnknownCluster(""));
  }

  @Test
  void routedResultsCarryTheRouteTheClusterAndTheEndpoint() {
    var route = route("r", RequestMatch.ANY, to("b"));
    SnapshotRouter router = routerWith(route);
    var routed = (RouteResult.Routed) router.route("orders", Request.get("/"));
    assertThat(routed.route()).isEqualTo(route);
    assertThat(routed.cluster().name()).isEqualTo("b");
    assertThat(routed.endpoint()).isEqualTo(B1);
    routed.lease().close();
  }

  @Test
  void aRingHashRouteSendsTheSameHeaderValueToTheSameEndpoint() {
    DataPlaneConfig config =
        config(
            "1",
            List.of(service("quotes", route("r", RequestMatch.ANY, "X-Account", to("ring")))),
            List.of(
                cluster(
                    "ring",
                    RING_HASH,
                    endpoint("10.0.2.1", 80),
                    endpoint("10.0.2.2", 80),
                    endpoint("10.0.2.3", 80),
                    endpoint("10.0.2.4", 80))));
    SnapshotRouter router = new SnapshotRouter(config, new Random(7));

    Set<Endpoint> seenForManyAccounts = new HashSet<>();
    for (int account = 0; account < 50; account++) {
      Request request = Request.get("/").with("x-account", "acct-" + account);
      Endpoint first = routedEndpoint(router.route("quotes", request));
      for (int again = 0; again < 10; again++) {
        assertThat(routedEndpoint(router.route("quotes", request))).isEqualTo(first);
      }
      seenForManyAccounts.add(first);
    }
    assertThat(seenForManyAccounts).hasSize(4);

    Set<Endpoint> seenWithoutHeader = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      seenWithoutHeader.add(routedEndpoint(router.route("quotes", Request.get("/"))));
    }
    assertThat(seenWithoutHeader).as("no key: random").hasSize(4);
  }

  @Test
  void leasesCountRequestsInFlightUntilClosedOnceEach() {
    SnapshotRouter router =
        new SnapshotRouter(
            config(
                "1",
                List.of(service("orders", route("r", RequestMatch.ANY, to("a")))),
                List.of(cluster("a", ROUND_ROBIN, A1, A2))),
            new Random(1));
    List<RequestLease> leases = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      leases.add(((RouteResult.Routed) router.route("orders", Request.get("/"))).lease());
    }
    assertThat(active(router, "a", A1)).isEqualTo(5);
    assertThat(active(router, "a", A2)).isEqualTo(5);

    leases.get(0).close();
    leases.get(0).close();
    leases.get(0).close();
    assertThat(active(router, "a", A1) + active(router, "a", A2)).isEqualTo(9);

    leases.forEach(RequestLease::close);
    leases.forEach(RequestLease::close);
    assertThat(active(router, "a", A1)).isZero();
    assertThat(active(router, "a", A2)).isZero();
  }

  @Test
  void countsSurviveAnUpdateThatKeepsTheEndpointAndSteerLeastRequest() {
    SnapshotRouter router =
        new SnapshotRouter(
            config(
                "1",
                List.of(service("orders", route("r", RequestMatch.ANY, to("a")))),
                List.of(cluster("a", LEAST_REQUEST, A1))),
            new Random(3));
    List<RequestLease> before = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      before.add(((RouteResult.Routed) router.route("orders", Request.get("/"))).lease());
    }

    // A1 stays (with a new weight), A2 joins.
    Endpoint heavierA1 = endpoint("10.0.0.1", 8080, 2);
    router.update(
        config(
            "2",
            List.of(service("orders", route("r", RequestMatch.ANY, to("a")))),
            List.of(cluster("a", LEAST_REQUEST, heavierA1, A2))));

    assertThat(active(router, "a", A1)).isEqualTo(3);
    assertThat(active(router, "a", A2)).isZero();
    // 3 in flight over weight 2 against 0 over weight 1: the newcomer wins.
    RouteResult.Routed next = (RouteResult.Routed) router.route("orders", Request.get("/"));
    assertThat(next.endpoint()).isEqualTo(A2);

    before.forEach(RequestLease::close);
    next.lease().close();
    assertThat(active(router, "a", A1)).isZero();
    assertThat(active(router, "a", A2)).isZero();
  }

  @Test
  void leasesOfARemovedEndpointCloseHarmlessly() {
    SnapshotRouter router =
        new SnapshotRouter(
            config(
                "1",
                List.of(service("orders", route("r", RequestMatch.ANY, to("a")))),
                List.of(cluster("a", RANDOM, A1))));
    RequestLease lease = ((RouteResult.Routed) router.route("orders", Request.get("/"))).lease();
    router.update(
        config(
            "2",
            List.of(service("orders", route("r", RequestMatch.ANY, to("a")))),
            List.of(cluster("a", RANDOM, A2))));
    lease.close();
    assertThat(router.cluster("a").orElseThrow().activeRequests(A1.hostPort())).isEmpty();
    assertThat(active(router, "a", A2)).isZero();
  }

  @Test
  void anUpdateLeavingAClusterUnchangedKeepsItsRoundRobinPosition() {
    List<dev.firemesh.traffic.config.VirtualService> services =
        List.of(service("orders", route("r", RequestMatch.ANY, to("a"))));
    SnapshotRouter router =
        new SnapshotRouter(config("1", services, List.of(cluster("a", ROUND_ROBIN, A1, A2))));
    assertThat(routedEndpoint(router.route("orders", Request.get("/")))).isEqualTo(A1);

    router.update(
        config(
            "2",
            services,
            List.of(cluster("a", ROUND_ROBIN, A1, A2), cluster("b", ROUND_ROBIN, B1))));

    assertThat(router.config().version()).isEqualTo("2");
    assertThat(routedEndpoint(router.route("orders", Request.get("/")))).isEqualTo(A2);
  }

  @Test
  void anUpdateMakesNewServicesRoutableAndRemovedOnesUnknown() {
    SnapshotRouter router = routerWith(route("r", RequestMatch.ANY, to("a")));
    router.update(
        config(
            "2",
            List.of(service("payments", route("r", RequestMatch.ANY, to("b")))),
            List.of(cluster("b", RANDOM, B1))));
    assertThat(router.route("orders", Request.get("/")))
        .isEqualTo(new RouteResult.UnknownService("orders"));
    assertThat(routedEndpoint(router.route("payments", Request.get("/")))).isEqualTo(B1);
  }

  /**
   * A router for service {@code orders} over clusters {@code a} (A1, A2), {@code b} (B1), {@code
   * empty}.
   */
  private static SnapshotRouter routerWith(dev.firemesh.traffic.config.RouteEntry... routes) {
    return new SnapshotRouter(
        config(
            "1",
            List.of(service("orders", routes)),
            List.of(
                cluster("a", ROUND_ROBIN, A1, A2),
                cluster("b", ROUND_ROBIN, B1),
                cluster("empty", ROUND_ROBIN))),
        new Random(42));
  }

  private static RequestMatch match(PathMatcher path) {
    return new RequestMatch(path, List.of());
  }

  private static RequestMatch match(HeaderMatcher header) {
    return new RequestMatch(new PathMatcher.Prefix("/"), List.of(header));
  }

  private static HeaderMatcher header(String name, StringMatcher matcher, boolean invert) {
    return new HeaderMatcher(name, matcher, invert);
  }

  /** The cluster a routed request went to; its lease is closed at once. */
  private static String clusterOf(RouteResult result) {
    assertThat(result).isInstanceOf(RouteResult.Routed.class);
    RouteResult.Routed routed = (RouteResult.Routed) result;
    routed.lease().close();
    return routed.cluster().name();
  }

  private static Endpoint routedEndpoint(RouteResult result) {
    assertThat(result).isInstanceOf(RouteResult.Routed.class);
    RouteResult.Routed routed = (RouteResult.Routed) result;
    routed.lease().close();
    return routed.endpoint();
  }

  private static int active(SnapshotRouter router, String cluster, Endpoint endpoint) {
    OptionalInt count = router.cluster(cluster).orElseThrow().activeRequests(endpoint.hostPort());
    assertThat(count).as("%s in %s", endpoint.hostPort(), cluster).isPresent();
    return count.getAsInt();
  }
}
