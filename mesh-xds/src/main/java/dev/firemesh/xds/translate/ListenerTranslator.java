package dev.firemesh.xds.translate;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;

/**
 * The Listener a client looks up by service name. Its {@code api_listener} is an HTTP connection
 * manager that takes routes from RDS over ADS: exactly what grpc-java's {@code xds:} resolver
 * needs, and a valid outbound listener template for a sidecar.
 */
final class ListenerTranslator {
  /** Filter names; a route's per-filter config is keyed by the same name. */
  static final String FAULT_FILTER = "envoy.filters.http.fault";

  static final String ROUTER_FILTER = "envoy.filters.http.router";

  private ListenerTranslator() {}

  /**
   * @param withFault whether a route of this service injects faults; grpc-java applies a route's
   *     fault config only if the fault filter is in the chain, and the filter with an empty config
   *     injects nothing on routes without one.
   */
  static Listener listener(String service, boolean withFault) {
    HttpConnectionManager.Builder manager =
        HttpConnectionManager.newBuilder()
            .setStatPrefix(service)
            .setRds(
                Rds.newBuilder()
                    .setConfigSource(ConfigSources.ADS)
                    .setRouteConfigName(ResourceNames.routeConfiguration(service)));
    if (withFault) {
      manager.addHttpFilters(
          HttpFilter.newBuilder()
              .setName(FAULT_FILTER)
              .setTypedConfig(Any.pack(HTTPFault.getDefaultInstance())));
    }
    // The router must be last.
    manager.addHttpFilters(
        HttpFilter.newBuilder()
            .setName(ROUTER_FILTER)
            .setTypedConfig(Any.pack(Router.getDefaultInstance())));
    return Listener.newBuilder()
        .setName(ResourceNames.listener(service))
        .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(manager.build())))
        .build();
  }
}
