package dev.firemesh.xds.client;

import static dev.firemesh.xds.translate.Meshes.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firemesh.api.resource.Route;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.DirectResponse;
import dev.firemesh.traffic.config.PathMatcher;
import dev.firemesh.traffic.config.PathRewrite;
import dev.firemesh.traffic.config.Redirect;
import dev.firemesh.traffic.config.RouteAction;
import dev.firemesh.traffic.config.RouteEntry;
import dev.firemesh.traffic.config.StickyKey;
import dev.firemesh.xds.translate.MeshState;
import dev.firemesh.xds.translate.MeshTranslator;
import dev.firemesh.xds.translate.Meshes;
import dev.firemesh.xds.translate.RouteMetadata;
import io.envoyproxy.envoy.config.route.v3.RedirectAction.RedirectResponseCode;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Stickiness, rewrites, redirects and direct responses from a Route resource through Envoy's protos
 * into the data plane's configuration.
 */
class RouteActionsRoundTripTest {

  private static final List<Route.Destination> CANARY =
      List.of(new Route.Destination("", "v1", 90), new Route.Destination("", "v2", 10));

  private static Route.Rule rule(String name, Route.Match match, Route.Action action) {
    return new Route.Rule(
        name,
        List.of(match),
        action,
        Duration.ZERO,
        Route.RetryPolicy.NONE,
        Route.Fault.NONE,
        List.of());
  }

  private static Route.Match path(Route.PathMatch path) {
    return new Route.Match(path, List.of(), List.of(), List.of());
  }

  private static MeshState mesh() {
    Route route =
        Meshes.route(
            "orders",
            rule(
                "by-cookie",
                path(new Route.PathMatch.Prefix("/api/")),
                new Route.Forward(
                    CANARY,
                    new Route.StickyBy(Route.StickyBy.Source.COOKIE, "user"),
                    new Route.Rewrite(new Route.PathRewrite.Prefix("/v2/"), "orders.internal"))),
            rule(
                "by-header",
                path(new Route.PathMatch.Regex("/legacy/.*")),
                new Route.Forward(
                    CANARY,
                    new Route.StickyBy(Route.StickyBy.Source.HEADER, "x-user-id"),
                    new Route.Rewrite(
                        new Route.PathRewrite.Regex("^/legacy/([a-z]+)$", "/\\1"), ""))),
            rule(
                "moved",
                path(new Route.PathMatch.Prefix("/old/")),
                new Route.Redirect("https", "new.example", new Route.PathRewrite.Prefix("/"), 308)),
            rule(
                "down",
                path(new Route.PathMatch.Any()),
                new Route.DirectResponse(503, "down for maintenance")));
    return new MeshState(
        List.of(Meshes.service("orders"), route),
        List.of(
            instance("orders", "o-1", 7001, "v1", "a"),
            instance("orders", "o-2", 7002, "v2", "a")));
  }

  private static XdsResources resources() {
    return TradingMesh.resources(MeshTranslator.translate(mesh()).mesh());
  }

  @Test
  void translatesToEnvoysOwnFieldsWhereItHasThem() {
    RouteConfiguration config = resources().routeConfigurations().get("orders");
    var routes = config.getVirtualHosts(0).getRoutesList();

    var byCookie = routes.get(0);
    assertThat(byCookie.getRoute().getPrefixRewrite()).isEqualTo("/v2/");
    assertThat(byCookie.getRoute().getHostRewriteLiteral()).isEqualTo("orders.internal");
    assertThat(byCookie.getRoute().getWeightedClusters().getHeaderName()).isEmpty();
    assertThat(
            byCookie
                .getMetadata()
                .getFilterMetadataOrThrow(RouteMetadata.FILTER)
                .getFieldsOrThrow(RouteMetadata.STICKY_COOKIE)
                .getStringValue())
        .isEqualTo("user");

    var byHeader = routes.get(1);
    assertThat(byHeader.getRoute().getWeightedClusters().getHeaderName()).isEqualTo("x-user-id");
    assertThat(byHeader.getRoute().getRegexRewrite().getPattern().getRegex())
        .isEqualTo("^/legacy/([a-z]+)$");
    assertThat(byHeader.getRoute().getRegexRewrite().getSubstitution()).isEqualTo("/\\1");
    assertThat(byHeader.hasMetadata()).isFalse();

    var moved = routes.get(2);
    assertThat(moved.hasRoute()).isFalse();
    assertThat(moved.getRedirect().getSchemeRedirect()).isEqualTo("https");
    assertThat(moved.getRedirect().getHostRedirect()).isEqualTo("new.example");
    assertThat(moved.getRedirect().getPrefixRewrite()).isEqualTo("/");
    assertThat(moved.getRedirect().getResponseCode())
        .isEqualTo(RedirectResponseCode.PERMANENT_REDIRECT);

    var down = routes.get(3);
    assertThat(down.getDirectResponse().getStatus()).isEqualTo(503);
    assertThat(down.getDirectResponse().getBody().getInlineString())
        .isEqualTo("down for maintenance");
  }

  @Test
  void decodesIntoTheDataPlanesActions() throws Exception {
    DataPlaneConfig config = XdsConfigDecoder.decode(resources(), "1");
    List<RouteEntry> routes = config.service("orders").orElseThrow().routes();

    RouteAction byCookie = routes.get(0).forward().orElseThrow();
    assertThat(byCookie.sticky()).isEqualTo(StickyKey.cookie("user"));
    assertThat(byCookie.pathRewrite()).isEqualTo(new PathRewrite.Prefix("/v2/"));
    assertThat(byCookie.hostRewrite()).isEqualTo("orders.internal");
    assertThat(byCookie.clusters())
        .containsExactly(
            new RouteAction.WeightedCluster("orders|v1", 90),
            new RouteAction.WeightedCluster("orders|v2", 10));

    RouteAction byHeader = routes.get(1).forward().orElseThrow();
    assertThat(byHeader.sticky()).isEqualTo(StickyKey.header("x-user-id"));
    assertThat(byHeader.pathRewrite().apply(routes.get(1).match().path(), "/legacy/orders"))
        .isEqualTo("/orders");
    assertThat(byHeader.hostRewrite()).isEmpty();

    assertThat(routes.get(2).action())
        .isEqualTo(new Redirect("https", "new.example", new PathRewrite.Prefix("/"), 308));
    assertThat(
            ((Redirect) routes.get(2).action())
                .location("http", "orders", "/old/a?b=1", new PathMatcher.Prefix("/old/")))
        .isEqualTo("https://new.example/a?b=1");
    assertThat(routes.get(3).action()).isEqualTo(new DirectResponse(503, "down for maintenance"));
    assertThat(routes.get(3).forward()).isEmpty();
  }

  @Test
  void refusesWhatTheDataPlaneCannotHonour() {
    XdsResources original = resources();
    RouteConfiguration config = original.routeConfigurations().get("orders");
    var host = config.getVirtualHosts(0).toBuilder();
    host.getRoutesBuilder(2).getRedirectBuilder().setPortRedirect(8443);
    host.getRoutesBuilder(1).getRouteBuilder().getRegexRewriteBuilder().setSubstitution("/\\2");
    Map<String, RouteConfiguration> routes = new HashMap<>(original.routeConfigurations());

    routes.put(
        "orders",
        config.toBuilder()
            .setVirtualHosts(0, host.clone().setRoutes(1, config.getVirtualHosts(0).getRoutes(1)))
            .build());
    assertThatThrownBy(() -> decodeWith(original, routes))
        .hasMessageContaining("virtual_hosts[0].routes[2].redirect.port_redirect");

    routes.put(
        "orders",
        config.toBuilder()
            .setVirtualHosts(0, host.clone().setRoutes(2, config.getVirtualHosts(0).getRoutes(2)))
            .build());
    assertThatThrownBy(() -> decodeWith(original, routes))
        .hasMessageContaining(
            "virtual_hosts[0].routes[1].route.regex_rewrite.substitution: \\2 names a group the"
                + " pattern does not have (it has 1)");
  }

  private static DataPlaneConfig decodeWith(
      XdsResources original, Map<String, RouteConfiguration> routes) throws Exception {
    return XdsConfigDecoder.decode(
        new XdsResources(
            original.listeners(), routes, original.clusters(), original.loadAssignments()),
        "2");
  }
}
