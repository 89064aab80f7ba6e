package dev.firemesh.xds.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.Endpoint;
import dev.firemesh.traffic.config.RouteAction;
import dev.firemesh.traffic.config.RouteEntry;
import dev.firemesh.xds.client.TradingMesh.Request;
import dev.firemesh.xds.translate.ServicePortsMetadata;
import dev.firemesh.xds.translate.XdsType;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.envoyproxy.envoy.type.v3.Int64Range;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The decoder on the translator's output, on Envoy's defaults, and on what it must refuse. */
class XdsConfigDecoderTest {
  private static final ConfigSource ADS =
      ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance()).build();

  @Test
  void theTranslatedMeshDecodesToWhatItsResourcesSay() throws Exception {
    DataPlaneConfig config =
        XdsConfigDecoder.decode(TradingMesh.resources(TradingMesh.state()), "lds=1");

    assertThat(config.version()).isEqualTo("lds=1");
    TradingMesh.check(config);
  }

  @Test
  void servicePortsWithAnUnknownProtocolAreRefusedNamingTheField() {
    Cluster cluster =
        Cluster.newBuilder()
            .setName("db")
            .setMetadata(
                io.envoyproxy.envoy.config.core.v3.Metadata.newBuilder()
                    .putFilterMetadata(
                        ServicePortsMetadata.FILTER,
                        com.google.protobuf.Struct.newBuilder()
                            .putFields("service", stringValue("db"))
                            .putFields(
                                "ports",
                                com.google.protobuf.Value.newBuilder()
                                    .setListValue(
                                        com.google.protobuf.ListValue.newBuilder()
                                            .addValues(
                                                com.google.protobuf.Value.newBuilder()
                                                    .setStructValue(
                                                        com.google.protobuf.Struct.newBuilder()
                                                            .putFields("name", stringValue("sql"))
                                                            .putFields(
                                                                "port",
                                                                com.google.protobuf.Value
                                                                    .newBuilder()
                                                                    .setNumberValue(5432)
                                                                    .build())
                                                            .putFields(
                                                                "protocol",
                                                                stringValue("postgres")))))
                                    .build())
                            .build()))
            .build();

    assertThatThrownBy(() -> XdsConfigDecoder.cluster(cluster))
        .isInstanceOfSatisfying(
            XdsDecodingException.class,
            e ->
                assertThat(e.field())
                    .isEqualTo("metadata.filter_metadata[dev.firemesh.service].ports[0].protocol"));
  }

  private static com.google.protobuf.Value stringValue(String value) {
    return com.google.protobuf.Value.newBuilder().setStringValue(value).build();
  }

  @Test
  void aRegexRe2DoesNotHaveIsRefusedNamingTheRouteAndField() {
    XdsResources resources =
        TradingMesh.resources(TradingMesh.state(80, 20, "(?=acc)acc-[0-9]+", List.of()));

    assertThatThrownBy(() -> XdsConfigDecoder.decode(resources, ""))
        .isInstanceOfSatisfying(
            XdsDecodingException.class,
            e -> {
              assertThat(e.type()).isEqualTo(XdsType.ROUTE);
              assertThat(e.resource()).isEqualTo("orders");
              // headers[0] is the method, headers[1] the account header.
              assertThat(e.field())
                  .isEqualTo(
                      "virtual_hosts[0].routes[0].match.headers[1].string_match.safe_regex.regex");
              assertThat(e.getMessage())
                  .startsWith("RouteConfiguration 'orders' field virtual_hosts[0].routes[0]")
                  .contains("lookaround");
            });
  }

  @Test
  void aMalformedRegexIsRefused() {
    XdsResources resources =
        TradingMesh.resources(TradingMesh.state(80, 20, "acc-([0-9]+", List.of()));

    assertThatThrownBy(() -> XdsConfigDecoder.decode(resources, ""))
        .isInstanceOf(XdsDecodingException.class)
        .hasMessageContaining("invalid regular expression 'acc-([0-9]+'");
  }

  @Test
  void aListenerNamingAMissingRouteConfigurationIsRefused() {
    XdsResources resources =
        new XdsResources(
            Map.of("orders", listener("orders", "orders-routes")), Map.of(), Map.of(), Map.of());

    assertThatThrownBy(() -> XdsConfigDecoder.decode(resources, ""))
        .isInstanceOfSatisfying(
            XdsDecodingException.class,
            e -> {
              assertThat(e.type()).isEqualTo(XdsType.LISTENER);
              assertThat(e.field()).isEqualTo("api_listener.api_listener.rds.route_config_name");
              assertThat(e.problem()).isEqualTo("no RouteConfiguration named 'orders-routes'");
            });
  }

  @Test
  void aClusterWithoutItsLoadAssignmentIsRefused() {
    XdsResources resources =
        new XdsResources(Map.of(), Map.of(), Map.of("orders", edsCluster("orders")), Map.of());

    assertThatThrownBy(() -> XdsConfigDecoder.decode(resources, ""))
        .isInstanceOf(XdsDecodingException.class)
        .hasMessage(
            "Cluster 'orders' field eds_cluster_config.service_name: no ClusterLoadAssignment"
                + " named 'orders'");
  }

  @Test
  void aTypedConfigThatDoesNotUnpackIsRefused() {
    Cluster cluster =
        edsCluster("orders").toBuilder()
            .putTypedExtensionProtocolOptions(
                ClusterShape.HTTP_PROTOCOL_OPTIONS, Any.pack(Router.getDefaultInstance()))
            .build();

    assertThatThrownBy(() -> XdsConfigDecoder.cluster(cluster))
        .isInstanceOf(XdsDecodingException.class)
        .hasMessageContaining(
            "field typed_extension_protocol_options["
                + ClusterShape.HTTP_PROTOCOL_OPTIONS
                + "]: cannot unpack type.googleapis.com/envoy.extensions.filters.http.router.v3.Router");
  }

  @Test
  void anHttpFilterTheDataPlaneDoesNotRunIsRefusedUnlessOptional() throws Exception {
    HttpFilter rbac =
        HttpFilter.newBuilder()
            .setName("envoy.filters.http.rbac")
            .setTypedConfig(Any.pack(RBAC.getDefaultInstance()))
            .build();

    assertThatThrownBy(() -> XdsConfigDecoder.listener(listener("orders", "orders", rbac)))
        .isInstanceOf(XdsDecodingException.class)
        .hasMessageContaining("http_filters[0].typed_config")
        .hasMessageContaining("envoy.extensions.filters.http.rbac.v3.RBAC is not supported");
    assertThat(
            XdsConfigDecoder.listener(
                    listener("orders", "orders", rbac.toBuilder().setIsOptional(true).build()))
                .faultFilters())
        .isEmpty();
  }

  @Test
  void successRateEjectionThatEnvoyEnforcesByDefaultIsHonouredWithItsDefaults() throws Exception {
    Cluster cluster =
        edsCluster("orders").toBuilder()
            .setOutlierDetection(OutlierDetection.newBuilder().setConsecutive5Xx(UInt32Value.of(7)))
            .build();

    ClusterConfig.OutlierDetection decoded =
        XdsConfigDecoder.cluster(cluster).config().outlierDetection();
    assertThat(decoded.consecutive5xx()).isEqualTo(7);
    assertThat(decoded.successRate()).isEqualTo(new ClusterConfig.SuccessRate(true, 5, 100, 1.9));
  }

  @Test
  void failurePercentageEjectionIsRefused() {
    Cluster cluster =
        edsCluster("orders").toBuilder()
            .setOutlierDetection(
                OutlierDetection.newBuilder().setEnforcingFailurePercentage(UInt32Value.of(100)))
            .build();

    assertThatThrownBy(() -> XdsConfigDecoder.cluster(cluster))
        .isInstanceOf(XdsDecodingException.class)
        .hasMessageContaining("field outlier_detection.enforcing_failure_percentage");
  }

  @Test
  void outlierDetectionTakesEnvoysDefaultsForWhatItLeavesOut() throws Exception {
    Cluster cluster =
        edsCluster("orders").toBuilder()
            .setOutlierDetection(
                OutlierDetection.newBuilder().setEnforcingSuccessRate(UInt32Value.of(0)))
            .build();

    assertThat(XdsConfigDecoder.cluster(cluster).config().outlierDetection())
        .isEqualTo(
            new ClusterConfig.OutlierDetection(
                5, 0, Duration.ofSeconds(10), Duration.ofSeconds(30), 10));
    assertThat(XdsConfigDecoder.cluster(cluster).config().healthCheck())
        .isEqualTo(ClusterConfig.HealthCheck.DISABLED);
    assertThat(XdsConfigDecoder.cluster(cluster).config().panicThreshold()).isEqualTo(50.0);
  }

  @Test
  void activeHealthChecksAndThePanicThresholdAreDecoded() throws Exception {
    Cluster cluster =
        edsCluster("orders").toBuilder()
            .addHealthChecks(
                io.envoyproxy.envoy.config.core.v3.HealthCheck.newBuilder()
                    .setInterval(com.google.protobuf.Duration.newBuilder().setSeconds(2))
                    .setTimeout(com.google.protobuf.Duration.newBuilder().setNanos(500_000_000))
                    .setUnhealthyThreshold(UInt32Value.of(3))
                    .setHealthyThreshold(UInt32Value.of(1))
                    .setGrpcHealthCheck(
                        io.envoyproxy.envoy.config.core.v3.HealthCheck.GrpcHealthCheck
                            .getDefaultInstance()))
            .setCommonLbConfig(
                Cluster.CommonLbConfig.newBuilder()
                    .setHealthyPanicThreshold(
                        io.envoyproxy.envoy.type.v3.Percent.newBuilder().setValue(25)))
            .build();

    ClusterConfig config = XdsConfigDecoder.cluster(cluster).config();
    assertThat(config.healthCheck())
        .isEqualTo(
            new ClusterConfig.HealthCheck(
                ClusterConfig.HealthCheck.Type.GRPC,
                "",
                "orders", // Envoy's default authority: the cluster's name
                Duration.ofSeconds(2),
                Duration.ofMillis(500),
                3,
                1));
    assertThat(config.panicThreshold()).isEqualTo(25.0);
  }

  @Test
  void healthChecksWithoutThresholdsOrWithPayloadsAreRefused() {
    var check =
        io.envoyproxy.envoy.config.core.v3.HealthCheck.newBuilder()
            .setInterval(com.google.protobuf.Duration.newBuilder().setSeconds(2))
            .setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(1))
            .setHealthyThreshold(UInt32Value.of(1))
            .setTcpHealthCheck(
                io.envoyproxy.envoy.config.core.v3.HealthCheck.TcpHealthCheck.getDefaultInstance());
    assertThatThrownBy(
            () ->
                XdsConfigDecoder.cluster(
                    edsCluster("orders").toBuilder().addHealthChecks(check).build()))
        .isInstanceOf(XdsDecodingException.class)
        .hasMessageContaining("field health_checks[0].unhealthy_threshold");

    var withPayload =
        check
            .setUnhealthyThreshold(UInt32Value.of(2))
            .setTcpHealthCheck(
                io.envoyproxy.envoy.config.core.v3.HealthCheck.TcpHealthCheck.newBuilder()
                    .setSend(
                        io.envoyproxy.envoy.config.core.v3.HealthCheck.Payload.newBuilder()
                            .setText("50494E47")));
    assertThatThrownBy(
            () ->
                XdsConfigDecoder.cluster(
                    edsCluster("orders").toBuilder().addHealthChecks(withPayload).build()))
        .isInstanceOf(XdsDecodingException.class)
        .hasMessageContaining("health_checks[0].tcp_health_check");
  }

  @Test
  void routesTheDataPlaneCannotHonourAreRefused() {
    Route redirect =
        Route.newBuilder()
            .setMatch(RouteMatch.newBuilder().setPrefix("/"))
            .setRedirect(
                RedirectAction.newBuilder().setHostRedirect("elsewhere").setPortRedirect(8443))
            .build();
    assertThatThrownBy(() -> XdsConfigDecoder.routeTable(routes("orders", redirect)))
        .isInstanceOf(XdsDecodingException.class)
        .hasMessageContaining("virtual_hosts[0].routes[0].redirect.port_redirect");

    Route range =
        route(
            RouteMatch.newBuilder()
                .setPrefix("/")
                .addHeaders(
                    HeaderMatcher.newBuilder()
                        .setName("x-size")
                        .setRangeMatch(Int64Range.newBuilder().setStart(1).setEnd(9)))
                .build(),
            io.envoyproxy.envoy.config.route.v3.RouteAction.newBuilder().setCluster("orders"));
    assertThatThrownBy(() -> XdsConfigDecoder.routeTable(routes("orders", range)))
        .isInstanceOf(XdsDecodingException.class)
        .hasMessageContaining("routes[0].match.headers[0].range_match: not supported");

    Route rateLimited =
        route(
            RouteMatch.newBuilder().setPrefix("/").build(),
            io.envoyproxy.envoy.config.route.v3.RouteAction.newBuilder()
                .setCluster("orders")
                .setRetryPolicy(RetryPolicy.newBuilder().setRetryOn("5xx,envoy-ratelimited")));
    assertThatThrownBy(() -> XdsConfigDecoder.routeTable(routes("orders", rateLimited)))
        .isInstanceOf(XdsDecodingException.class)
        .hasMessageContaining(
            "route.retry_policy.retry_on: unsupported condition 'envoy-ratelimited'");
  }

  @Test
  void routesTakeEnvoysDefaultsForWhatTheyLeaveOut() throws Exception {
    Route route =
        route(
            RouteMatch.newBuilder()
                .setPrefix("/API/")
                .setCaseSensitive(BoolValue.of(false))
                .build(),
            io.envoyproxy.envoy.config.route.v3.RouteAction.newBuilder()
                .setCluster("orders")
                .setRetryPolicy(RetryPolicy.newBuilder().setRetryOn("5xx"))
                .addRequestMirrorPolicies(
                    io.envoyproxy.envoy.config.route.v3.RouteAction.RequestMirrorPolicy.newBuilder()
                        .setCluster("shadow")));
    DataPlaneConfig config = decode(routes("orders", route));

    RouteEntry entry = config.service("orders").orElseThrow().routes().getFirst();
    assertThat(entry.match().matches(Request.of("GET", "/api/x"))).isTrue();
    assertThat(entry.match().matches(Request.of("GET", "/apix"))).isFalse();
    assertThat(entry.forward().orElseThrow().timeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(entry.forward().orElseThrow().retry())
        .isEqualTo(
            new RouteAction.Retry(
                1, Duration.ZERO, Set.of("5xx"), Duration.ofMillis(25), Duration.ofMillis(250)));
    assertThat(entry.forward().orElseThrow().mirrors())
        .containsExactly(new RouteAction.Mirror("shadow", 100));
  }

  @Test
  void theShorterOfTimeoutAndMaxStreamDurationBoundsTheRoute() throws Exception {
    Route route =
        route(
            RouteMatch.newBuilder().setPrefix("/").build(),
            io.envoyproxy.envoy.config.route.v3.RouteAction.newBuilder()
                .setCluster("orders")
                .setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(10))
                .setMaxStreamDuration(
                    io.envoyproxy.envoy.config.route.v3.RouteAction.MaxStreamDuration.newBuilder()
                        .setMaxStreamDuration(
                            com.google.protobuf.Duration.newBuilder().setSeconds(3))));

    assertThat(decode(routes("orders", route)).service("orders").orElseThrow().routes())
        .extracting(r -> r.forward().orElseThrow().timeout())
        .containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void theMostSpecificFaultConfigOfTheListenersFaultFilterApplies() throws Exception {
    HTTPFault hostFault =
        HTTPFault.newBuilder()
            .setAbort(
                FaultAbort.newBuilder()
                    .setHttpStatus(503)
                    .setPercentage(
                        FractionalPercent.newBuilder()
                            .setNumerator(25)
                            .setDenominator(FractionalPercent.DenominatorType.HUNDRED)))
            .build();
    HTTPFault listenerFault =
        HTTPFault.newBuilder()
            .setDelay(
                FaultDelay.newBuilder()
                    .setFixedDelay(com.google.protobuf.Duration.newBuilder().setNanos(1_000_000))
                    .setPercentage(
                        FractionalPercent.newBuilder()
                            .setNumerator(5000)
                            .setDenominator(FractionalPercent.DenominatorType.TEN_THOUSAND)))
            .build();
    var action = io.envoyproxy.envoy.config.route.v3.RouteAction.newBuilder().setCluster("orders");
    Route inherits = route(RouteMatch.newBuilder().setPrefix("/a").build(), action);
    Route disables =
        route(RouteMatch.newBuilder().setPrefix("/b").build(), action).toBuilder()
            .putTypedPerFilterConfig(
                "fault", Any.pack(FilterConfig.newBuilder().setDisabled(true).build()))
            .build();
    RouteConfiguration config =
        RouteConfiguration.newBuilder()
            .setName("orders")
            .addVirtualHosts(
                VirtualHost.newBuilder()
                    .setName("orders")
                    .addDomains("orders")
                    .addRoutes(inherits)
                    .addRoutes(disables)
                    .putTypedPerFilterConfig("fault", Any.pack(hostFault)))
            .build();
    HttpFilter faultFilter =
        HttpFilter.newBuilder().setName("fault").setTypedConfig(Any.pack(listenerFault)).build();

    List<RouteEntry> routes =
        decode(listener("orders", "orders", faultFilter), config)
            .service("orders")
            .orElseThrow()
            .routes();
    assertThat(routes.get(0).forward().orElseThrow().fault())
        .isEqualTo(new RouteAction.Fault(0, Duration.ZERO, 25, 503, 0));
    assertThat(routes.get(1).forward().orElseThrow().fault()).isEqualTo(RouteAction.Fault.NONE);

    // Without the fault filter in the chain, per-route fault configs do nothing.
    assertThat(
            decode(listener("orders", "orders"), config).service("orders").orElseThrow().routes())
        .extracting(r -> r.forward().orElseThrow().fault())
        .containsOnly(RouteAction.Fault.NONE);
  }

  @Test
  void endpointsThatAreNotHealthyOrUnknownAreLeftOut() throws Exception {
    ClusterLoadAssignment assignment =
        ClusterLoadAssignment.newBuilder()
            .setClusterName("orders")
            .addEndpoints(
                LocalityLbEndpoints.newBuilder()
                    .setLocality(Locality.newBuilder().setRegion("eu").setZone("a"))
                    .addLbEndpoints(endpoint(7001, HealthStatus.HEALTHY, 0))
                    .addLbEndpoints(endpoint(7002, HealthStatus.UNKNOWN, 0))
                    .addLbEndpoints(endpoint(7003, HealthStatus.UNHEALTHY, 0))
                    .addLbEndpoints(endpoint(7004, HealthStatus.DRAINING, 0))
                    .addLbEndpoints(endpoint(7005, HealthStatus.DEGRADED, 0)))
            .build();

    assertThat(XdsConfigDecoder.endpoints("orders", assignment))
        .extracting(Endpoint::port)
        .containsExactly(7001, 7002);
  }

  @Test
  void localityWeightsAreFoldedIntoEndpointWeights() throws Exception {
    ClusterLoadAssignment weighted =
        ClusterLoadAssignment.newBuilder()
            .setClusterName("orders")
            .addEndpoints(
                LocalityLbEndpoints.newBuilder()
                    .setLocality(Locality.newBuilder().setRegion("eu").setZone("a"))
                    .setLoadBalancingWeight(UInt32Value.of(3))
                    .addLbEndpoints(endpoint(7001, HealthStatus.HEALTHY, 0)))
            .addEndpoints(
                LocalityLbEndpoints.newBuilder()
                    .setLocality(Locality.newBuilder().setRegion("eu").setZone("b"))
                    .setLoadBalancingWeight(UInt32Value.of(1))
                    .addLbEndpoints(endpoint(7002, HealthStatus.HEALTHY, 1))
                    .addLbEndpoints(endpoint(7003, HealthStatus.HEALTHY, 3)))
            .build();

    // Zone a gets 3/4 of calls; zone b's 1/4 splits 1:3.
    assertThat(XdsConfigDecoder.endpoints("orders", weighted))
        .containsExactly(
            new Endpoint("127.0.0.1", 7001, "eu", "a", 12),
            new Endpoint("127.0.0.1", 7002, "eu", "b", 1),
            new Endpoint("127.0.0.1", 7003, "eu", "b", 3));

    ClusterLoadAssignment unweighted =
        weighted.toBuilder()
            .setEndpoints(0, weighted.getEndpoints(0).toBuilder().clearLoadBalancingWeight())
            .setEndpoints(1, weighted.getEndpoints(1).toBuilder().clearLoadBalancingWeight())
            .build();
    assertThat(XdsConfigDecoder.endpoints("orders", unweighted))
        .extracting(Endpoint::weight)
        .containsExactly(1, 1, 3);
  }

  @Test
  void aBareClusterIsTcpWithEnvoysDefaults() throws Exception {
    assertThat(XdsConfigDecoder.cluster(edsCluster("ledger")).config())
        .isEqualTo(
            new ClusterConfig(
                "ledger",
                ClusterConfig.Protocol.TCP,
                ClusterConfig.BalancerPolicy.ROUND_ROBIN,
                Duration.ofSeconds(5),
                Duration.ofHours(1),
                ClusterConfig.Limits.DEFAULT,
                ClusterConfig.OutlierDetection.DISABLED,
                List.of()));
  }

  private static DataPlaneConfig decode(RouteConfiguration routes) throws XdsDecodingException {
    return decode(listener("orders", routes.getName()), routes);
  }

  private static DataPlaneConfig decode(Listener listener, RouteConfiguration routes)
      throws XdsDecodingException {
    return XdsConfigDecoder.decode(
        new XdsResources(
            Map.of(listener.getName(), listener),
            Map.of(routes.getName(), routes),
            Map.of(),
            Map.of()),
        "");
  }

  private static Listener listener(String name, String routes, HttpFilter... filters) {
    HttpConnectionManager.Builder manager =
        HttpConnectionManager.newBuilder()
            .setRds(Rds.newBuilder().setConfigSource(ADS).setRouteConfigName(routes));
    for (HttpFilter filter : filters) {
      manager.addHttpFilters(filter);
    }
    manager.addHttpFilters(
        HttpFilter.newBuilder()
            .setName("router")
            .setTypedConfig(Any.pack(Router.getDefaultInstance())));
    return Listener.newBuilder()
        .setName(name)
        .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(manager.build())))
        .build();
  }

  private static RouteConfiguration routes(String name, Route... routes) {
    return RouteConfiguration.newBuilder()
        .setName(name)
        .addVirtualHosts(
            VirtualHost.newBuilder().setName(name).addDomains(name).addAllRoutes(List.of(routes)))
        .build();
  }

  private static Route route(
      RouteMatch match, io.envoyproxy.envoy.config.route.v3.RouteAction.Builder action) {
    return Route.newBuilder().setMatch(match).setRoute(action).build();
  }

  private static Cluster edsCluster(String name) {
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ADS))
        .build();
  }

  private static LbEndpoint endpoint(int port, HealthStatus health, int weight) {
    LbEndpoint.Builder endpoint =
        LbEndpoint.newBuilder()
            .setHealthStatus(health)
            .setEndpoint(
                io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
                    .setAddress(
                        Address.newBuilder()
                            .setSocketAddress(
                                SocketAddress.newBuilder()
                                    .setAddress("127.0.0.1")
                                    .setPortValue(port))));
    if (weight > 0) {
      endpoint.setLoadBalancingWeight(UInt32Value.of(weight));
    }
    return endpoint.build();
  }
}
