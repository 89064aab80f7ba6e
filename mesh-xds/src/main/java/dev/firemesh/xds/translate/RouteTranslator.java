package dev.firemesh.xds.translate;

import com.google.protobuf.Any;
import dev.firemesh.api.resource.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.List;

/**
 * A service's RouteConfiguration: one virtual host for the service's name, its Route rules in order
 * (a rule with several matches becomes one Envoy route per match, all with the same action), or one
 * default route to all instances when the service has no Route.
 *
 * <p>A request that matches no rule gets no route (Envoy answers 404, grpc-java fails the call with
 * UNAVAILABLE), as the operator wrote it; no catch-all is added behind the rules.
 */
final class RouteTranslator {
  private final MeshIndex mesh;
  private final RouteActionTranslator actions;

  RouteTranslator(MeshIndex mesh) {
    this.mesh = mesh;
    this.actions = new RouteActionTranslator(mesh);
  }

  /** True if any rule of the service injects faults, so its listener needs the fault filter. */
  boolean injectsFaults(String service) {
    return mesh.rules(service).stream().anyMatch(rule -> rule.fault().enabled());
  }

  RouteConfiguration routeConfiguration(String service) {
    VirtualHost.Builder host =
        VirtualHost.newBuilder()
            .setName(service)
            // grpc-java matches the target's authority ("orders" for xds:///orders); a sidecar
            // sees a Host header that may carry a port.
            .addDomains(service)
            .addDomains(service + ":*");
    List<Route.Rule> rules = mesh.rules(service);
    if (rules.isEmpty()) {
      host.addRoutes(
          io.envoyproxy.envoy.config.route.v3.Route.newBuilder()
              .setName("default")
              .setMatch(RouteMatchTranslator.any())
              .setRoute(actions.allInstances(service)));
    }
    for (int i = 0; i < rules.size(); i++) {
      Route.Rule rule = rules.get(i);
      String name = rule.name().isEmpty() ? "rule-" + i : rule.name();
      List<RouteMatch> matches =
          rule.matches().isEmpty()
              ? List.of(RouteMatchTranslator.any())
              : rule.matches().stream().map(RouteMatchTranslator::match).toList();
      for (RouteMatch match : matches) {
        io.envoyproxy.envoy.config.route.v3.Route.Builder route =
            io.envoyproxy.envoy.config.route.v3.Route.newBuilder().setName(name).setMatch(match);
        switch (rule.action()) {
          case Route.Forward forward -> {
            route.setRoute(actions.action(service, rule));
            if (forward.stickyBy().source() == Route.StickyBy.Source.COOKIE
                && forward.destinations().size() > 1) {
              route.setMetadata(RouteMetadata.stickyCookie(forward.stickyBy().name()));
            }
          }
          case Route.Redirect redirect -> route.setRedirect(AnswerTranslator.redirect(redirect));
          case Route.DirectResponse response ->
              route.setDirectResponse(AnswerTranslator.directResponse(response));
        }
        if (rule.fault().enabled()) {
          route.putTypedPerFilterConfig(
              ListenerTranslator.FAULT_FILTER, Any.pack(FaultTranslator.fault(rule.fault())));
        }
        host.addRoutes(route);
      }
    }
    return RouteConfiguration.newBuilder()
        .setName(ResourceNames.routeConfiguration(service))
        .addVirtualHosts(host)
        .build();
  }
}
