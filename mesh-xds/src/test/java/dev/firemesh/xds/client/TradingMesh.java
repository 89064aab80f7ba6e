package dev.firemesh.xds.client;

import static dev.firemesh.xds.translate.Meshes.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.api.registry.ServiceInstance;
import dev.firemesh.api.resource.Metadata;
import dev.firemesh.api.resource.Resource;
import dev.firemesh.api.resource.Route;
import dev.firemesh.api.resource.Service;
import dev.firemesh.api.resource.TrafficPolicy;
import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.Endpoint;
import dev.firemesh.traffic.config.PathMatcher;
import dev.firemesh.traffic.config.RequestMatch;
import dev.firemesh.traffic.config.RequestView;
import dev.firemesh.traffic.config.RouteAction;
import dev.firemesh.traffic.config.RouteEntry;
import dev.firemesh.traffic.config.ServicePort;
import dev.firemesh.traffic.config.VirtualService;
import dev.firemesh.xds.translate.MeshState;
import dev.firemesh.xds.translate.MeshTranslator;
import dev.firemesh.xds.translate.Meshes;
import dev.firemesh.xds.translate.XdsSnapshot;
import dev.firemesh.xds.translate.XdsType;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A small trading mesh that uses every feature the translator emits: a gRPC service with subsets, a
 * weighted rule with method, header and cookie matches, timeout, retries, fault and mirror, a
 * ring-hash policy with limits and outlier detection, an HTTP/1.1 service and a TCP one.
 */
final class TradingMesh {
  static final String ACCOUNT_HEADER = "x-account";

  private TradingMesh() {}

  static MeshState state(
      int v1Weight, int v2Weight, String accountRegex, List<ServiceInstance> extra) {
    List<Resource> resources =
        List.of(
            Meshes.service("orders"),
            service("web", Service.Protocol.HTTP1),
            service("ledger", Service.Protocol.TCP),
            new Route(
                Metadata.named("orders"),
                new Route.Spec("orders", List.of(place(v1Weight, v2Weight, accountRegex), read()))),
            ordersPolicy(),
            Meshes.policy("orders", "v2", TrafficPolicy.LoadBalancer.Policy.LEAST_REQUEST));
    List<ServiceInstance> instances = new ArrayList<>(instances());
    instances.addAll(extra);
    return new MeshState(resources, instances);
  }

  static MeshState state() {
    return state(80, 20, "acc-[0-9]+", List.of());
  }

  static List<ServiceInstance> instances() {
    return List.of(
        instance("orders", "orders-1", 7001, "v1", "a"),
        instance("orders", "orders-2", 7002, "v1", "b"),
        instance("orders", "orders-3", 7003, "v2", "a"),
        instance("orders", "orders-4", 7004, "v1", "a"),
        instance("web", "web-1", 8001, "v1", "a"),
        instance("ledger", "ledger-1", 9001, "v1", "b"));
  }

  private static Service service(String name, Service.Protocol protocol) {
    return new Service(
        Metadata.named(name),
        new Service.Spec(List.of(new Service.Port("main", 8000, protocol)), List.of()));
  }

  private static Route.Rule place(int v1Weight, int v2Weight, String accountRegex) {
    return new Route.Rule(
        "place",
        List.of(
            new Route.Match(
                new Route.PathMatch.Prefix("/orders.Orders/Place"),
                List.of("POST"),
                List.of(
                    new Route.HeaderMatch(
                        ACCOUNT_HEADER, new Route.ValueMatch.Regex(accountRegex), false),
                    new Route.HeaderMatch("x-debug", new Route.ValueMatch.Present(), true)),
                List.of(
                    new Route.CookieMatch("session", new Route.ValueMatch.Exact("abc"), false)))),
        List.of(
            new Route.Destination("", "v1", v1Weight), new Route.Destination("", "v2", v2Weight)),
        Duration.ofSeconds(2),
        new Route.RetryPolicy(
            3,
            Duration.ofMillis(500),
            List.of(Route.RetryOn.GRPC_UNAVAILABLE, Route.RetryOn.SERVER_ERROR),
            Duration.ofMillis(10),
            Duration.ofMillis(100),
            true),
        new Route.Fault(
            new Route.Fault.Delay(10, Duration.ofMillis(5)),
            new Route.Fault.Abort(5, 0, 14),
            List.of(new Route.HeaderMatch("x-chaos", new Route.ValueMatch.Exact("on"), false))),
        List.of(new Route.Mirror("", "v2", 50)));
  }

  /** Two matches, so two Envoy routes; no destination, so all instances. */
  private static Route.Rule read() {
    return Meshes.rule(
        "read",
        List.of(
            new Route.Match(
                new Route.PathMatch.Exact("/orders.Orders/Get"), List.of(), List.of(), List.of()),
            new Route.Match(
                new Route.PathMatch.Regex("/orders\\.Orders/List[A-Z][a-z]+"),
                List.of("GET", "HEAD"),
                List.of(),
                List.of())),
        List.of());
  }

  private static TrafficPolicy ordersPolicy() {
    return new TrafficPolicy(
        Metadata.named("orders"),
        new TrafficPolicy.Spec(
            "orders",
            "",
            new TrafficPolicy.LoadBalancer(
                TrafficPolicy.LoadBalancer.Policy.RING_HASH, ACCOUNT_HEADER),
            new TrafficPolicy.ConnectionPool(Duration.ofSeconds(1), Duration.ofMinutes(2), 100),
            new TrafficPolicy.CircuitBreaker(10, 20, 30, 4),
            new TrafficPolicy.OutlierDetection(
                5, 3, Duration.ofSeconds(5), Duration.ofSeconds(15), 50),
            // Active health checks are not run by the data plane; they must not make it refuse.
            new TrafficPolicy.HealthCheck(
                TrafficPolicy.HealthCheck.Type.HTTP,
                "/health",
                Duration.ofSeconds(10),
                Duration.ofSeconds(1),
                3,
                2)));
  }

  /**
   * Checks that {@code config} says what the translator's resources for {@link #state()} say:
   * matchers by what they accept and refuse, everything else by value.
   */
  static void check(DataPlaneConfig config) {
    assertThat(config.services()).containsOnlyKeys("orders", "web", "ledger");
    // Each service's ports travel in its cluster's metadata, so a sidecar knows a TCP port.
    assertThat(config.ports("ledger"))
        .containsExactly(new ServicePort("main", 8000, ClusterConfig.Protocol.TCP));
    assertThat(config.ports("web"))
        .containsExactly(new ServicePort("main", 8000, ClusterConfig.Protocol.HTTP1));
    assertThat(config.port("ledger", "main")).isPresent();
    assertThat(config.port("ledger", "other")).isEmpty();
    VirtualService orders = config.service("orders").orElseThrow();
    assertThat(orders.routes())
        .extracting(RouteEntry::name)
        .containsExactly("place", "read", "read");

    RouteEntry place = orders.routes().get(0);
    Request placing =
        Request.of(
            "POST",
            "/orders.Orders/PlaceLimit",
            ACCOUNT_HEADER,
            "acc-12",
            "cookie",
            "a=b; session=abc");
    assertThat(place.match().matches(placing)).isTrue();
    assertThat(place.match().matches(placing.with(":method", "GET"))).isFalse();
    assertThat(place.match().matches(placing.with(ACCOUNT_HEADER, "acc-x"))).isFalse();
    assertThat(place.match().matches(placing.with("x-debug", "1"))).isFalse();
    assertThat(place.match().matches(placing.with("cookie", "session=abcd"))).isFalse();
    assertThat(place.match().matches(placing.with(":path", "/orders.Orders/Get"))).isFalse();
    assertThat(place.action().clusters())
        .containsExactly(
            new RouteAction.WeightedCluster("orders|v1", 80),
            new RouteAction.WeightedCluster("orders|v2", 20));
    assertThat(place.action().timeout()).isEqualTo(Duration.ofSeconds(2));
    RouteAction.Retry retry = place.action().retry();
    assertThat(
            new RouteAction.Retry(
                retry.maxRetries(),
                retry.perTryTimeout(),
                retry.retryOn(),
                retry.backoffBase(),
                retry.backoffMax()))
        .isEqualTo(
            new RouteAction.Retry(
                3,
                Duration.ofMillis(500),
                Set.of("unavailable", "5xx"),
                Duration.ofMillis(10),
                Duration.ofMillis(100)));
    // Safe to repeat: an idempotent method, or (opted in) a request with an Idempotency-Key.
    assertThat(retry.retriableRequests()).hasSize(2);
    assertThat(retry.retriableRequests()).anyMatch(m -> m.matches(Request.of("GET", "/")));
    assertThat(retry.retriableRequests()).noneMatch(m -> m.matches(Request.of("POST", "/")));
    assertThat(retry.retriableRequests())
        .anyMatch(m -> m.matches(Request.of("POST", "/", "idempotency-key", "k1")));
    RouteAction.Fault fault = place.action().fault();
    assertThat(
            new RouteAction.Fault(
                fault.delayPercent(),
                fault.delay(),
                fault.abortPercent(),
                fault.abortHttpStatus(),
                fault.abortGrpcStatus()))
        .isEqualTo(new RouteAction.Fault(10, Duration.ofMillis(5), 5, 0, 14));
    assertThat(fault.applies(Request.of("GET", "/", "x-chaos", "on"))).isTrue();
    assertThat(fault.applies(Request.of("GET", "/", "x-chaos", "off"))).isFalse();
    assertThat(place.action().mirrors()).containsExactly(new RouteAction.Mirror("orders|v2", 50));
    assertThat(place.action().hashHeader()).isEqualTo(ACCOUNT_HEADER);

    RouteEntry get = orders.routes().get(1);
    assertThat(get.match().path()).isEqualTo(new PathMatcher.Exact("/orders.Orders/Get"));
    assertThat(get.match().headers()).isEmpty();
    // No timeout was set (none, not Envoy's 15 s default), no retries, and the listener's fault
    // filter, present because "place" injects faults, injects nothing here.
    assertThat(get.action())
        .isEqualTo(
            new RouteAction(
                List.of(new RouteAction.WeightedCluster("orders", 1)),
                Duration.ZERO,
                RouteAction.Retry.NONE,
                RouteAction.Fault.NONE,
                List.of(),
                ACCOUNT_HEADER));

    RouteEntry list = orders.routes().get(2);
    assertThat(list.match().matches(Request.of("GET", "/orders.Orders/ListOpen"))).isTrue();
    assertThat(list.match().matches(Request.of("HEAD", "/orders.Orders/ListOpen"))).isTrue();
    assertThat(list.match().matches(Request.of("POST", "/orders.Orders/ListOpen"))).isFalse();
    assertThat(list.match().matches(Request.of("GET", "/orders.Orders/Listopen"))).isFalse();
    assertThat(list.match().matches(Request.of("GET", "/ordersXOrders/ListOpen"))).isFalse();

    for (String name : List.of("web", "ledger")) {
      VirtualService service = config.service(name).orElseThrow();
      assertThat(service.routes()).hasSize(1);
      assertThat(service.routes().getFirst().match()).isEqualTo(RequestMatch.ANY);
      assertThat(service.routes().getFirst().action())
          .isEqualTo(
              new RouteAction(
                  List.of(new RouteAction.WeightedCluster(name, 1)),
                  Duration.ZERO,
                  RouteAction.Retry.NONE,
                  RouteAction.Fault.NONE,
                  List.of(),
                  ""));
    }

    assertThat(config.clusters())
        .containsOnlyKeys("orders", "orders|v1", "orders|v2", "web", "ledger");
    ClusterConfig.Limits limits = new ClusterConfig.Limits(10, 20, 30, 4);
    ClusterConfig.OutlierDetection outliers =
        new ClusterConfig.OutlierDetection(5, 3, Duration.ofSeconds(5), Duration.ofSeconds(15), 50);
    assertThat(config.cluster("orders").orElseThrow())
        .isEqualTo(
            new ClusterConfig(
                "orders",
                ClusterConfig.Protocol.HTTP2,
                ClusterConfig.BalancerPolicy.RING_HASH,
                Duration.ofSeconds(1),
                Duration.ofMinutes(2),
                limits,
                outliers,
                config.cluster("orders").orElseThrow().endpoints()));
    assertThat(config.cluster("orders").orElseThrow().endpoints())
        .containsExactlyInAnyOrder(
            endpoint(7001, "a"), endpoint(7002, "b"), endpoint(7003, "a"), endpoint(7004, "a"));
    assertThat(config.cluster("orders|v1").orElseThrow().balancer())
        .isEqualTo(ClusterConfig.BalancerPolicy.RING_HASH);
    assertThat(config.cluster("orders|v1").orElseThrow().endpoints())
        .containsExactlyInAnyOrder(endpoint(7001, "a"), endpoint(7002, "b"), endpoint(7004, "a"));
    assertThat(config.cluster("orders|v2").orElseThrow())
        .isEqualTo(
            new ClusterConfig(
                "orders|v2",
                ClusterConfig.Protocol.HTTP2,
                ClusterConfig.BalancerPolicy.LEAST_REQUEST,
                Duration.ofSeconds(5),
                Duration.ofMinutes(5),
                ClusterConfig.Limits.DEFAULT,
                ClusterConfig.OutlierDetection.DISABLED,
                List.of(endpoint(7003, "a"))));
    assertThat(config.cluster("web").orElseThrow())
        .isEqualTo(
            new ClusterConfig(
                "web",
                ClusterConfig.Protocol.HTTP1,
                ClusterConfig.BalancerPolicy.ROUND_ROBIN,
                Duration.ofSeconds(5),
                Duration.ofMinutes(5),
                ClusterConfig.Limits.DEFAULT,
                ClusterConfig.OutlierDetection.DISABLED,
                List.of(endpoint(8001, "a"))));
    // No HTTP protocol options: TCP, with Envoy's default idle timeout.
    assertThat(config.cluster("ledger").orElseThrow())
        .isEqualTo(
            new ClusterConfig(
                "ledger",
                ClusterConfig.Protocol.TCP,
                ClusterConfig.BalancerPolicy.ROUND_ROBIN,
                Duration.ofSeconds(5),
                Duration.ofHours(1),
                ClusterConfig.Limits.DEFAULT,
                ClusterConfig.OutlierDetection.DISABLED,
                List.of(endpoint(9001, "b"))));
  }

  static Endpoint endpoint(int port, String zone) {
    return new Endpoint("127.0.0.1", port, "eu-west", zone, 1);
  }

  /** The translator's resources for {@code state}, as the decoder takes them. */
  static XdsResources resources(MeshState state) {
    return resources(MeshTranslator.translate(state).mesh());
  }

  /** One node's view, as the decoder takes it. */
  static XdsResources resources(XdsSnapshot snapshot) {
    return new XdsResources(
        messages(snapshot, XdsType.LISTENER, Listener.class),
        messages(snapshot, XdsType.ROUTE, RouteConfiguration.class),
        messages(snapshot, XdsType.CLUSTER, Cluster.class),
        messages(snapshot, XdsType.ENDPOINT, ClusterLoadAssignment.class));
  }

  private static <T> Map<String, T> messages(XdsSnapshot snapshot, XdsType type, Class<T> kind) {
    Map<String, T> byName = new TreeMap<>();
    snapshot
        .resources(type)
        .byName()
        .forEach((name, r) -> byName.put(name, kind.cast(r.message())));
    return byName;
  }

  /** A request as routing sees it. */
  record Request(String method, String path, Map<String, String> headers) implements RequestView {
    static Request of(String method, String path, String... headerPairs) {
      Map<String, String> headers = new TreeMap<>();
      for (int i = 0; i < headerPairs.length; i += 2) {
        headers.put(headerPairs[i], headerPairs[i + 1]);
      }
      return new Request(method, path, headers);
    }

    /** This request with one header (or {@code :method}, {@code :path}) changed. */
    Request with(String name, String value) {
      if (name.equals(":method")) {
        return new Request(value, path, headers);
      }
      if (name.equals(":path")) {
        return new Request(method, value, headers);
      }
      Map<String, String> changed = new TreeMap<>(headers);
      changed.put(name, value);
      return new Request(method, path, changed);
    }

    @Override
    public Optional<String> header(String lowerCaseName) {
      return Optional.ofNullable(headers.get(lowerCaseName));
    }
  }
}
