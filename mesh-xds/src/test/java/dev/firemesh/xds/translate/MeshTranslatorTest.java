package dev.firemesh.xds.translate;

import static dev.firemesh.xds.translate.Meshes.instance;
import static dev.firemesh.xds.translate.Meshes.policy;
import static dev.firemesh.xds.translate.Meshes.route;
import static dev.firemesh.xds.translate.Meshes.rule;
import static dev.firemesh.xds.translate.Meshes.service;
import static dev.firemesh.xds.translate.Meshes.split;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.re2j.Pattern;
import dev.firemesh.api.registry.ServiceInstance;
import dev.firemesh.api.resource.Metadata;
import dev.firemesh.api.resource.Resource;
import dev.firemesh.api.resource.Route;
import dev.firemesh.api.resource.Route.PathMatch;
import dev.firemesh.api.resource.Route.ValueMatch;
import dev.firemesh.api.resource.TrafficPolicy;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster.ClusterWeight;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.v3.FractionalPercent.DenominatorType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MeshTranslatorTest {

  private static final List<ServiceInstance> INSTANCES =
      List.of(
          instance("orders", "orders-1", 7001, "v1", "a"),
          instance("orders", "orders-2", 7002, "v1", "b"),
          instance("orders", "orders-3", 7003, "v2", "a"),
          instance("payments", "payments-1", 7101, "v1", "a"));

  private static XdsSnapshot translate(List<Resource> resources, List<ServiceInstance> instances) {
    return MeshTranslator.translate(new MeshState(resources, instances))
        .forNode(NodeIdentity.of("test"));
  }

  private static <T extends Message> T get(
      XdsSnapshot snapshot, XdsType type, String name, Class<T> kind) {
    Message message = snapshot.resources(type).get(name).orElseThrow().message();
    assertThat(message).isInstanceOf(kind);
    return kind.cast(message);
  }

  private static VirtualHost host(XdsSnapshot snapshot, String service) {
    RouteConfiguration config = get(snapshot, XdsType.ROUTE, service, RouteConfiguration.class);
    assertThat(config.getVirtualHostsList()).hasSize(1);
    return config.getVirtualHosts(0);
  }

  @Test
  void everyServiceGetsAnApiListenerUsingRdsOverAdsWithTheRouterLast() throws Exception {
    XdsSnapshot snapshot = translate(List.of(service("orders"), service("payments")), INSTANCES);

    assertThat(snapshot.resources(XdsType.LISTENER).byName())
        .containsOnlyKeys("orders", "payments");
    Listener listener = get(snapshot, XdsType.LISTENER, "orders", Listener.class);
    HttpConnectionManager manager =
        listener.getApiListener().getApiListener().unpack(HttpConnectionManager.class);
    assertThat(manager.getRds().getRouteConfigName()).isEqualTo("orders");
    assertThat(manager.getRds().getConfigSource().hasAds()).isTrue();
    assertThat(manager.getHttpFiltersList()).hasSize(1);
    HttpFilter router = manager.getHttpFilters(0);
    assertThat(router.getTypedConfig().is(Router.class)).isTrue();
  }

  @Test
  void aServiceWithoutRouteGetsOneDefaultRouteToAllInstances() {
    XdsSnapshot snapshot = translate(List.of(service("payments")), INSTANCES);

    VirtualHost host = host(snapshot, "payments");
    assertThat(host.getDomainsList()).containsExactly("payments", "payments:*");
    assertThat(host.getRoutesList()).hasSize(1);
    assertThat(host.getRoutes(0).getMatch().getPrefix()).isEqualTo("/");
    assertThat(host.getRoutes(0).getRoute().getCluster()).isEqualTo("payments");
  }

  @Test
  void destinationsBecomeWeightedSubsetClusters() {
    XdsSnapshot snapshot =
        translate(List.of(service("orders"), route("orders", split(80, 20))), INSTANCES);

    RouteAction action = host(snapshot, "orders").getRoutes(0).getRoute();
    assertThat(action.getWeightedClusters().getClustersList())
        .extracting(ClusterWeight::getName, w -> w.getWeight().getValue())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("orders|v1", 80),
            org.assertj.core.groups.Tuple.tuple("orders|v2", 20));
    assertThat(snapshot.resources(XdsType.CLUSTER).byName())
        .containsOnlyKeys("orders", "orders|v1", "orders|v2");
  }

  @Test
  void aSingleDestinationIsAPlainClusterAndAnotherServiceCanBeTargeted() {
    Route.Rule toPayments =
        rule("all", List.of(), List.of(new Route.Destination("payments", "v1", 1)));
    XdsSnapshot snapshot =
        translate(
            List.of(service("orders"), service("payments"), route("orders", toPayments)),
            INSTANCES);

    assertThat(host(snapshot, "orders").getRoutes(0).getRoute().getCluster())
        .isEqualTo("payments|v1");
  }

  @Test
  void rulesKeepTheirOrderAndEachMatchBecomesOneRoute() {
    Route.Match apiPrefix =
        new Route.Match(new PathMatch.Prefix("/orders.Api/"), List.of(), List.of(), List.of());
    Route.Match exactPath =
        new Route.Match(new PathMatch.Exact("/orders.Api/Get"), List.of(), List.of(), List.of());
    Route.Rule first =
        rule("canary", List.of(apiPrefix, exactPath), List.of(new Route.Destination("", "v2", 1)));
    XdsSnapshot snapshot =
        translate(List.of(service("orders"), route("orders", first, split(50, 50))), INSTANCES);

    List<io.envoyproxy.envoy.config.route.v3.Route> routes =
        host(snapshot, "orders").getRoutesList();
    assertThat(routes)
        .extracting(io.envoyproxy.envoy.config.route.v3.Route::getName)
        .containsExactly("canary", "canary", "split");
    assertThat(routes.get(0).getMatch().getPrefix()).isEqualTo("/orders.Api/");
    assertThat(routes.get(1).getMatch().getPath()).isEqualTo("/orders.Api/Get");
    assertThat(routes.get(2).getMatch().getPrefix()).isEqualTo("/");
    assertThat(routes.get(0).getRoute().getCluster()).isEqualTo("orders|v2");
  }

  @Test
  void pathRegexMethodsAndHeadersBecomeRouteMatchConditions() {
    Route.Match match =
        new Route.Match(
            new PathMatch.Regex("/orders\\.Api/(Get|List)"),
            List.of("GET", "POST"),
            List.of(
                new Route.HeaderMatch("x-canary", new ValueMatch.Exact("true"), false),
                new Route.HeaderMatch("x-tenant", new ValueMatch.Prefix("bank-"), false),
                new Route.HeaderMatch("x-debug", new ValueMatch.Present(), true),
                new Route.HeaderMatch("x-trace", new ValueMatch.Regex("[0-9a-f]{32}"), false)),
            List.of());
    XdsSnapshot snapshot =
        translate(
            List.of(
                service("orders"),
                route(
                    "orders",
                    rule("r", List.of(match), List.of(new Route.Destination("", "v1", 1))))),
            INSTANCES);

    io.envoyproxy.envoy.config.route.v3.RouteMatch routeMatch =
        host(snapshot, "orders").getRoutes(0).getMatch();
    assertThat(routeMatch.getSafeRegex().getRegex()).isEqualTo("/orders\\.Api/(Get|List)");
    Map<String, HeaderMatcher> headers =
        routeMatch.getHeadersList().stream()
            .collect(Collectors.toMap(HeaderMatcher::getName, Function.identity()));
    assertThat(headers).containsOnlyKeys(":method", "x-canary", "x-tenant", "x-debug", "x-trace");
    Pattern methods =
        Pattern.compile(headers.get(":method").getStringMatch().getSafeRegex().getRegex());
    assertThat(methods.matches("GET")).isTrue();
    assertThat(methods.matches("POST")).isTrue();
    assertThat(methods.matches("PUT")).isFalse();
    assertThat(headers.get("x-canary").getStringMatch().getExact()).isEqualTo("true");
    assertThat(headers.get("x-tenant").getStringMatch().getPrefix()).isEqualTo("bank-");
    assertThat(headers.get("x-debug").getPresentMatch()).isTrue();
    assertThat(headers.get("x-debug").getInvertMatch()).isTrue();
    assertThat(headers.get("x-trace").getStringMatch().getSafeRegex().getRegex())
        .isEqualTo("[0-9a-f]{32}");
  }

  @Test
  void aCookieConditionFindsTheCookieAmongOthersInTheCookieHeader() {
    Route.Match match =
        new Route.Match(
            new PathMatch.Any(),
            List.of(),
            List.of(),
            List.of(
                new Route.CookieMatch("session.id", new ValueMatch.Prefix("beta+"), false),
                new Route.CookieMatch("opt-out", new ValueMatch.Present(), true)));
    XdsSnapshot snapshot =
        translate(
            List.of(
                service("orders"),
                route(
                    "orders",
                    rule("r", List.of(match), List.of(new Route.Destination("", "v2", 1))))),
            INSTANCES);

    List<HeaderMatcher> headers = host(snapshot, "orders").getRoutes(0).getMatch().getHeadersList();
    assertThat(headers).extracting(HeaderMatcher::getName).containsExactly("cookie", "cookie");
    assertThat(headers.get(1).getInvertMatch()).isTrue();
    // Checked with re2j, the RE2 engine grpc-java matches with.
    Pattern session = Pattern.compile(headers.get(0).getStringMatch().getSafeRegex().getRegex());
    assertThat(session.matches("session.id=beta+42")).isTrue();
    assertThat(session.matches("a=1; session.id=beta+42; b=2")).isTrue();
    assertThat(session.matches("a=1,session.id=beta+42")).isTrue();
    assertThat(session.matches("session.id=alpha")).isFalse();
    assertThat(session.matches("sessionXid=beta+42")).isFalse();
    assertThat(session.matches("my-session.id=beta+42")).isFalse();
    assertThat(session.matches("a=session.id=beta+")).isFalse();
    Pattern optOut = Pattern.compile(headers.get(1).getStringMatch().getSafeRegex().getRegex());
    assertThat(optOut.matches("x=1; opt-out=")).isTrue();
    assertThat(optOut.matches("x=1")).isFalse();
  }

  @Test
  void timeoutAndRetryReachBothEnvoyAndGrpcFields() {
    Route.Rule rule =
        new Route.Rule(
            "resilient",
            List.of(),
            List.of(new Route.Destination("", "v1", 1)),
            Duration.ofSeconds(2),
            new Route.RetryPolicy(
                3,
                Duration.ofMillis(500),
                List.of(Route.RetryOn.GRPC_UNAVAILABLE, Route.RetryOn.RESET),
                Duration.ofMillis(25),
                Duration.ofMillis(250)),
            Route.Fault.NONE,
            List.of());
    XdsSnapshot snapshot = translate(List.of(service("orders"), route("orders", rule)), INSTANCES);

    RouteAction action = host(snapshot, "orders").getRoutes(0).getRoute();
    assertThat(action.getTimeout().getSeconds()).isEqualTo(2);
    assertThat(action.getMaxStreamDuration().getMaxStreamDuration().getSeconds()).isEqualTo(2);
    assertThat(action.getMaxStreamDuration().getGrpcTimeoutHeaderMax().getSeconds()).isEqualTo(2);
    assertThat(action.getRetryPolicy().getRetryOn()).isEqualTo("unavailable,reset");
    assertThat(action.getRetryPolicy().getNumRetries().getValue()).isEqualTo(3);
    assertThat(action.getRetryPolicy().getPerTryTimeout().getNanos()).isEqualTo(500_000_000);
    assertThat(action.getRetryPolicy().getRetryBackOff().getBaseInterval().getNanos())
        .isEqualTo(25_000_000);
    assertThat(action.getRetryPolicy().getRetryBackOff().getMaxInterval().getNanos())
        .isEqualTo(250_000_000);
  }

  @Test
  void noTimeoutIsWrittenAsZeroAndNoRetryAsNoPolicy() {
    XdsSnapshot snapshot =
        translate(List.of(service("orders"), route("orders", split(1, 1))), INSTANCES);

    RouteAction action = host(snapshot, "orders").getRoutes(0).getRoute();
    assertThat(action.hasTimeout()).isTrue();
    assertThat(action.getTimeout().getSeconds()).isZero();
    assertThat(action.hasMaxStreamDuration()).isFalse();
    assertThat(action.hasRetryPolicy()).isFalse();
  }

  @Test
  void aFaultAddsTheFaultFilterBeforeTheRouterAndAPerRouteConfig() throws Exception {
    Route.Rule faulty =
        new Route.Rule(
            "chaos",
            List.of(),
            List.of(new Route.Destination("", "v1", 1)),
            Duration.ZERO,
            Route.RetryPolicy.NONE,
            new Route.Fault(
                new Route.Fault.Delay(10, Duration.ofMillis(100)),
                new Route.Fault.Abort(0.5, 503, 14)),
            List.of());
    XdsSnapshot snapshot =
        translate(
            List.of(service("orders"), service("payments"), route("orders", faulty)), INSTANCES);

    HttpConnectionManager orders =
        get(snapshot, XdsType.LISTENER, "orders", Listener.class)
            .getApiListener()
            .getApiListener()
            .unpack(HttpConnectionManager.class);
    assertThat(orders.getHttpFiltersList())
        .extracting(HttpFilter::getName)
        .containsExactly("envoy.filters.http.fault", "envoy.filters.http.router");
    HttpConnectionManager payments =
        get(snapshot, XdsType.LISTENER, "payments", Listener.class)
            .getApiListener()
            .getApiListener()
            .unpack(HttpConnectionManager.class);
    assertThat(payments.getHttpFiltersList())
        .extracting(HttpFilter::getName)
        .containsExactly("envoy.filters.http.router");

    HTTPFault fault =
        host(snapshot, "orders")
            .getRoutes(0)
            .getTypedPerFilterConfigOrThrow("envoy.filters.http.fault")
            .unpack(HTTPFault.class);
    assertThat(fault.getDelay().getFixedDelay().getNanos()).isEqualTo(100_000_000);
    assertThat(fault.getDelay().getPercentage().getNumerator()).isEqualTo(100_000);
    assertThat(fault.getDelay().getPercentage().getDenominator())
        .isEqualTo(DenominatorType.MILLION);
    assertThat(fault.getAbort().getGrpcStatus()).isEqualTo(14);
    assertThat(fault.getAbort().getPercentage().getNumerator()).isEqualTo(5_000);
  }

  @Test
  void mirrorsBecomeMirrorPoliciesWithAFraction() {
    Route.Rule mirrored =
        new Route.Rule(
            "shadow",
            List.of(),
            List.of(new Route.Destination("", "v1", 1)),
            Duration.ZERO,
            Route.RetryPolicy.NONE,
            Route.Fault.NONE,
            List.of(new Route.Mirror("", "v2", 25)));
    XdsSnapshot snapshot =
        translate(List.of(service("orders"), route("orders", mirrored)), INSTANCES);

    RouteAction.RequestMirrorPolicy mirror =
        host(snapshot, "orders").getRoutes(0).getRoute().getRequestMirrorPolicies(0);
    assertThat(mirror.getCluster()).isEqualTo("orders|v2");
    assertThat(mirror.getRuntimeFraction().getDefaultValue().getNumerator()).isEqualTo(250_000);
  }

  @Test
  void subsetClustersGetOnlyTheirInstancesGroupedByLocality() {
    XdsSnapshot snapshot = translate(List.of(service("orders")), INSTANCES);

    ClusterLoadAssignment v1 =
        get(snapshot, XdsType.ENDPOINT, "orders|v1", ClusterLoadAssignment.class);
    assertThat(v1.getEndpointsList())
        .extracting(l -> l.getLocality().getZone())
        .containsExactly("a", "b");
    assertThat(v1.getEndpointsList())
        .allSatisfy(l -> assertThat(l.getLoadBalancingWeight().getValue()).isEqualTo(1));
    assertThat(ports(v1)).containsExactly(7001, 7002);
    assertThat(v1.getEndpointsList().stream().flatMap(l -> l.getLbEndpointsList().stream()))
        .allSatisfy(e -> assertThat(e.getHealthStatus()).isEqualTo(HealthStatus.HEALTHY));

    ClusterLoadAssignment all =
        get(snapshot, XdsType.ENDPOINT, "orders", ClusterLoadAssignment.class);
    assertThat(ports(all)).containsExactly(7001, 7003, 7002);
    assertThat(all.getEndpoints(0).getLoadBalancingWeight().getValue()).isEqualTo(2);
    assertThat(ports(get(snapshot, XdsType.ENDPOINT, "orders|v2", ClusterLoadAssignment.class)))
        .containsExactly(7003);
  }

  private static List<Integer> ports(ClusterLoadAssignment assignment) {
    List<Integer> ports = new ArrayList<>();
    for (LocalityLbEndpoints locality : assignment.getEndpointsList()) {
      for (LbEndpoint endpoint : locality.getLbEndpointsList()) {
        ports.add(endpoint.getEndpoint().getAddress().getSocketAddress().getPortValue());
      }
    }
    return ports;
  }

  @Test
  void clustersAreEdsOverAdsWithThePolicyOfTheirSubset() {
    TrafficPolicy serviceWide =
        policy("orders", "", TrafficPolicy.LoadBalancer.Policy.LEAST_REQUEST);
    TrafficPolicy forV2 = policy("orders", "v2", TrafficPolicy.LoadBalancer.Policy.RING_HASH);
    TrafficPolicy random = policy("payments", "", TrafficPolicy.LoadBalancer.Policy.RANDOM);
    XdsSnapshot snapshot =
        translate(
            List.of(service("orders"), service("payments"), serviceWide, forV2, random), INSTANCES);

    Cluster v1 = get(snapshot, XdsType.CLUSTER, "orders|v1", Cluster.class);
    assertThat(v1.getType()).isEqualTo(Cluster.DiscoveryType.EDS);
    assertThat(v1.getEdsClusterConfig().getEdsConfig().hasAds()).isTrue();
    assertThat(v1.getEdsClusterConfig().getServiceName()).isEqualTo("orders|v1");
    assertThat(v1.getLbPolicy()).isEqualTo(Cluster.LbPolicy.LEAST_REQUEST);
    assertThat(get(snapshot, XdsType.CLUSTER, "orders|v2", Cluster.class).getLbPolicy())
        .isEqualTo(Cluster.LbPolicy.RING_HASH);
    assertThat(get(snapshot, XdsType.CLUSTER, "payments", Cluster.class).getLbPolicy())
        .isEqualTo(Cluster.LbPolicy.LEAST_REQUEST);
    assertThat(v1.getCircuitBreakers().getThresholds(0).getMaxRequests().getValue())
        .isEqualTo(1024);
    assertThat(v1.getConnectTimeout().getSeconds()).isEqualTo(5);
    assertThat(v1.hasOutlierDetection()).isFalse();
    assertThat(v1.getHealthChecksList()).isEmpty();
  }

  @Test
  void outlierDetectionAndHealthChecksAppearOnlyWhenEnabled() {
    TrafficPolicy strict =
        new TrafficPolicy(
            Metadata.named("strict"),
            new TrafficPolicy.Spec(
                "orders",
                "",
                TrafficPolicy.LoadBalancer.DEFAULT,
                TrafficPolicy.ConnectionPool.DEFAULT,
                new TrafficPolicy.CircuitBreaker(10, 20, 30, 2),
                new TrafficPolicy.OutlierDetection(
                    5, 0, Duration.ofSeconds(10), Duration.ofSeconds(30), 50),
                new TrafficPolicy.HealthCheck(
                    TrafficPolicy.HealthCheck.Type.HTTP,
                    "/health",
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(1),
                    3,
                    2)));
    XdsSnapshot snapshot = translate(List.of(service("orders"), strict), INSTANCES);

    Cluster orders = get(snapshot, XdsType.CLUSTER, "orders", Cluster.class);
    assertThat(orders.getCircuitBreakers().getThresholds(0).getMaxConnections().getValue())
        .isEqualTo(10);
    assertThat(orders.getOutlierDetection().getConsecutive5Xx().getValue()).isEqualTo(5);
    assertThat(orders.getOutlierDetection().getEnforcingConsecutive5Xx().getValue()).isEqualTo(100);
    assertThat(orders.getOutlierDetection().getEnforcingSuccessRate().getValue()).isZero();
    assertThat(orders.getOutlierDetection().getMaxEjectionPercent().getValue()).isEqualTo(50);
    assertThat(orders.getHealthChecks(0).getHttpHealthCheck().getPath()).isEqualTo("/health");
    assertThat(orders.getHealthChecks(0).getHttpHealthCheck().getHost())
        .as("the check reaches the instance's sidecar, which routes by service")
        .isEqualTo("orders");
    assertThat(orders.hasCommonLbConfig()).as("the default panic threshold is Envoy's").isFalse();
  }

  @Test
  void successRateMaxEjectionTimeAndPanicThresholdReachEnvoy() {
    TrafficPolicy policy =
        new TrafficPolicy(
            Metadata.named("rates"),
            new TrafficPolicy.Spec(
                "orders",
                "",
                new TrafficPolicy.LoadBalancer(
                    TrafficPolicy.LoadBalancer.Policy.ROUND_ROBIN, "", 65_537, true, 30),
                TrafficPolicy.ConnectionPool.DEFAULT,
                TrafficPolicy.CircuitBreaker.DEFAULT,
                new TrafficPolicy.OutlierDetection(
                    0,
                    4,
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(10),
                    40,
                    new TrafficPolicy.SuccessRate(true, 3, 50, 1.25),
                    Duration.ofMinutes(2)),
                new TrafficPolicy.HealthCheck(
                    TrafficPolicy.HealthCheck.Type.GRPC,
                    "",
                    Duration.ofSeconds(3),
                    Duration.ofSeconds(1),
                    2,
                    1)));
    XdsSnapshot snapshot = translate(List.of(service("orders"), policy), INSTANCES);

    Cluster orders = get(snapshot, XdsType.CLUSTER, "orders", Cluster.class);
    var detection = orders.getOutlierDetection();
    assertThat(detection.getEnforcingSuccessRate().getValue()).isEqualTo(100);
    assertThat(detection.getSuccessRateStdevFactor().getValue()).isEqualTo(1250);
    assertThat(detection.getMaxEjectionTime().getSeconds()).isEqualTo(120);
    assertThat(orders.getCommonLbConfig().getHealthyPanicThreshold().getValue()).isEqualTo(30.0);
    assertThat(orders.getHealthChecks(0).getGrpcHealthCheck().getAuthority()).isEqualTo("orders");
  }

  @Test
  void aRingHashPolicyMakesRoutesHashOnItsHeader() {
    TrafficPolicy sticky =
        new TrafficPolicy(
            Metadata.named("sticky"),
            new TrafficPolicy.Spec(
                "orders",
                "",
                new TrafficPolicy.LoadBalancer(
                    TrafficPolicy.LoadBalancer.Policy.RING_HASH, "x-account"),
                TrafficPolicy.ConnectionPool.DEFAULT,
                TrafficPolicy.CircuitBreaker.DEFAULT,
                TrafficPolicy.OutlierDetection.DEFAULT,
                TrafficPolicy.HealthCheck.DEFAULT));
    XdsSnapshot snapshot =
        translate(List.of(service("orders"), sticky, route("orders", split(1, 1))), INSTANCES);

    RouteAction action = host(snapshot, "orders").getRoutes(0).getRoute();
    assertThat(action.getHashPolicyList())
        .singleElement()
        .satisfies(h -> assertThat(h.getHeader().getHeaderName()).isEqualTo("x-account"));
    assertThat(get(snapshot, XdsType.CLUSTER, "orders|v1", Cluster.class).getLbPolicy())
        .isEqualTo(Cluster.LbPolicy.RING_HASH);
  }

  @Test
  void theSameInputInAnyOrderGivesTheSameVersions() {
    List<Resource> resources =
        new ArrayList<>(
            List.of(
                service("orders"),
                service("payments"),
                route("orders", split(80, 20)),
                policy("orders", "", TrafficPolicy.LoadBalancer.Policy.ROUND_ROBIN)));
    List<ServiceInstance> instances = new ArrayList<>(INSTANCES);
    XdsSnapshot first = translate(resources, instances);
    Collections.shuffle(resources, new Random(7));
    Collections.shuffle(instances, new Random(7));
    XdsSnapshot second = translate(resources, instances);

    for (XdsType type : XdsType.values()) {
      assertThat(second.resources(type).versions()).isEqualTo(first.resources(type).versions());
      assertThat(second.version(type)).isEqualTo(first.version(type));
    }
    assertThat(second.sameVersionsAs(first)).isTrue();
  }

  @Test
  void changingOneServicesEndpointsChangesOnlyThoseAssignments() {
    List<Resource> resources =
        List.of(service("orders"), service("payments"), route("orders", split(80, 20)));
    XdsSnapshot before = translate(resources, INSTANCES);
    List<ServiceInstance> more = new ArrayList<>(INSTANCES);
    more.add(instance("payments", "payments-2", 7102, "v2", "b"));
    XdsSnapshot after = translate(resources, more);

    for (XdsType type : List.of(XdsType.CLUSTER, XdsType.LISTENER, XdsType.ROUTE)) {
      assertThat(after.version(type)).as(type.name()).isEqualTo(before.version(type));
    }
    assertThat(after.version(XdsType.ENDPOINT)).isNotEqualTo(before.version(XdsType.ENDPOINT));
    Map<String, String> was = before.resources(XdsType.ENDPOINT).versions();
    Map<String, String> is = after.resources(XdsType.ENDPOINT).versions();
    List<String> changed = is.keySet().stream().filter(n -> !is.get(n).equals(was.get(n))).toList();
    // payments-2 is version v2: the all-instances and v2 assignments change, v1 does not.
    assertThat(changed).containsExactlyInAnyOrder("payments", "payments|v2");

    ResourceSet endpoints = after.resources(XdsType.ENDPOINT);
    assertThat(endpoints.version(List.of("orders", "orders|v1")))
        .isEqualTo(before.resources(XdsType.ENDPOINT).version(List.of("orders|v1", "orders")));
    assertThat(endpoints.version(List.of("payments")))
        .isNotEqualTo(before.resources(XdsType.ENDPOINT).version(List.of("payments")));
  }

  @Test
  void anEmptyMeshTranslatesToNothing() {
    XdsSnapshot snapshot = translate(List.of(), List.of());

    for (XdsType type : XdsType.values()) {
      assertThat(snapshot.resources(type).byName()).isEmpty();
    }
    assertThat(snapshot.sameVersionsAs(XdsSnapshot.EMPTY)).isTrue();
  }

  @Test
  void versionsAreContentHashesOfTheSerializedResource() throws InvalidProtocolBufferException {
    XdsSnapshot snapshot = translate(List.of(service("orders")), INSTANCES);

    XdsResource cluster = snapshot.resources(XdsType.CLUSTER).get("orders").orElseThrow();
    Cluster copy = Cluster.parseFrom(cluster.message().toByteString());
    assertThat(XdsResource.of("orders", copy).version()).isEqualTo(cluster.version());
    assertThat(cluster.version()).hasSize(16).matches("[0-9a-f]+");
  }
}
