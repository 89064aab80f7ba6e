package dev.firemesh.xds.client;

import static dev.firemesh.xds.client.ProtoFields.at;

import dev.firemesh.traffic.config.RouteAction;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A Listener as the data plane uses it: an {@code api_listener} HTTP connection manager naming its
 * routes (by RDS, or inline), its fault filters with their default configs, and the stream duration
 * routes inherit (zero: none).
 */
record HttpListener(
    String name,
    Routes routes,
    Map<String, RouteAction.Fault> faultFilters,
    Duration streamDuration) {

  private static final Set<String> LISTENER =
      Set.of("name", "api_listener", "stat_prefix", "metadata");
  private static final Set<String> CONNECTION_MANAGER =
      Set.of(
          "stat_prefix",
          "codec_type",
          "rds",
          "route_config",
          "http_filters",
          "common_http_protocol_options");

  HttpListener {
    faultFilters = Map.copyOf(faultFilters);
  }

  /** Where the listener's routes are. */
  sealed interface Routes {
    record Rds(String routeConfigName) implements Routes {}

    record Inline(RouteTable table) implements Routes {}
  }

  static HttpListener decode(Listener listener) throws FieldProblem {
    ProtoFields.only(listener, "", LISTENER);
    if (!listener.hasApiListener()) {
      throw new FieldProblem("api_listener", "required: only API listeners are supported");
    }
    String path = "api_listener.api_listener";
    HttpConnectionManager manager =
        ProtoFields.unpack(
            listener.getApiListener().getApiListener(), HttpConnectionManager.class, path);
    ProtoFields.only(manager, path, CONNECTION_MANAGER);

    Routes routes =
        switch (manager.getRouteSpecifierCase()) {
          case RDS -> {
            String rdsPath = at(path, "rds");
            ProtoFields.only(
                manager.getRds(), rdsPath, Set.of("config_source", "route_config_name"));
            source(manager.getRds().getConfigSource(), at(rdsPath, "config_source"));
            String name = manager.getRds().getRouteConfigName();
            if (name.isEmpty()) {
              throw new FieldProblem(at(rdsPath, "route_config_name"), "required");
            }
            yield new Routes.Rds(name);
          }
          case ROUTE_CONFIG ->
              new Routes.Inline(
                  RouteTable.decode(manager.getRouteConfig(), at(path, "route_config")));
          default -> throw new FieldProblem(path, "needs rds or route_config");
        };

    Map<String, RouteAction.Fault> faults = new TreeMap<>();
    boolean routed = false;
    for (int i = 0; i < manager.getHttpFiltersCount(); i++) {
      String filterPath = at(path, "http_filters", i);
      HttpFilter filter = manager.getHttpFilters(i);
      ProtoFields.only(filter, filterPath, Set.of("name", "typed_config", "is_optional"));
      if (routed) {
        throw new FieldProblem(filterPath, "a filter after the router would never run");
      }
      var config = filter.getTypedConfig();
      if (config.is(Router.class)) {
        routed = true;
      } else if (config.is(HTTPFault.class)) {
        if (!faults.isEmpty()) {
          throw new FieldProblem(filterPath, "only one fault filter is supported");
        }
        String configPath = at(filterPath, "typed_config");
        faults.put(
            filter.getName(),
            FaultDecoder.fault(
                ProtoFields.unpack(config, HTTPFault.class, configPath), configPath));
      } else if (!filter.getIsOptional()) {
        throw new FieldProblem(
            at(filterPath, "typed_config"),
            "the HTTP filter "
                + (config.getTypeUrl().isEmpty()
                    ? "'" + filter.getName() + "'"
                    : config.getTypeUrl())
                + " is not supported by the FireMesh data plane");
      }
    }
    if (!routed) {
      throw new FieldProblem(at(path, "http_filters"), "no router filter");
    }

    Duration streamDuration = Duration.ZERO;
    if (manager.hasCommonHttpProtocolOptions()
        && manager.getCommonHttpProtocolOptions().hasMaxStreamDuration()) {
      // The other options of the connection manager concern downstream connections, which the
      // sidecar's own listener owns; a route's stream duration is the one that applies here.
      streamDuration =
          ProtoFields.duration(
              manager.getCommonHttpProtocolOptions().getMaxStreamDuration(),
              at(path, "common_http_protocol_options.max_stream_duration"));
    }
    return new HttpListener(listener.getName(), routes, faults, streamDuration);
  }

  /** Dependent resources must come over the same ADS stream. */
  static void source(ConfigSource source, String path) throws FieldProblem {
    switch (source.getConfigSourceSpecifierCase()) {
      case ADS, SELF -> {}
      default ->
          throw new FieldProblem(
              path, "only ads or self config sources are supported (the same ADS stream)");
    }
  }
}
