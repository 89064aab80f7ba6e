package dev.firemesh.xds.client;

import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.Endpoint;
import dev.firemesh.traffic.config.InboundPolicy;
import dev.firemesh.traffic.config.RouteAction;
import dev.firemesh.traffic.config.RouteEntry;
import dev.firemesh.traffic.config.ServicePort;
import dev.firemesh.traffic.config.VirtualService;
import dev.firemesh.xds.translate.XdsType;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decodes a consistent set of Envoy v3 resources into a {@link DataPlaneConfig}: one virtual
 * service per Listener (named as the listener, which is the service name callers use) with the
 * routes of its RouteConfiguration, and one cluster per Cluster with the endpoints of its
 * ClusterLoadAssignment.
 *
 * <p>What Envoy defaults when a field is left out is defaulted the same way (route timeout 15 s,
 * one retry, connect timeout 5 s, outlier detection thresholds of 5). What the data plane could not
 * honour is refused with an {@link XdsDecodingException} naming the resource and field, never
 * dropped silently. Pure and thread-safe.
 */
public final class XdsConfigDecoder {
  private XdsConfigDecoder() {}

  /**
   * @param version the versions the resources came with, kept in the config for logs and dumps
   * @throws XdsDecodingException if a resource cannot be honoured, or names a RouteConfiguration or
   *     ClusterLoadAssignment the set does not hold
   */
  public static DataPlaneConfig decode(XdsResources resources, String version)
      throws XdsDecodingException {
    Map<String, RouteTable> tables = new TreeMap<>();
    for (var entry : resources.routeConfigurations().entrySet()) {
      tables.put(entry.getKey(), routeTable(entry.getValue()));
    }
    Map<String, VirtualService> services = new TreeMap<>();
    for (Listener listener : resources.listeners().values()) {
      HttpListener http = listener(listener);
      RouteTable table =
          switch (http.routes()) {
            case HttpListener.Routes.Inline(RouteTable inline) -> inline;
            case HttpListener.Routes.Rds(String name) -> {
              RouteTable named = tables.get(name);
              if (named == null) {
                throw new XdsDecodingException(
                    XdsType.LISTENER,
                    listener.getName(),
                    "api_listener.api_listener.rds.route_config_name",
                    "no RouteConfiguration named '" + name + "'");
              }
              yield named;
            }
          };
      services.put(http.name(), service(http, table));
    }
    Map<String, ClusterConfig> clusters = new TreeMap<>();
    Map<String, List<ServicePort>> ports = new TreeMap<>();
    Map<String, InboundPolicy> inbound = new TreeMap<>();
    for (Cluster cluster : resources.clusters().values()) {
      ClusterShape shape = cluster(cluster);
      if (!shape.ports().service().isEmpty()) {
        ports.put(shape.ports().service(), shape.ports().ports());
      }
      shape.inbound().ifPresent(policy -> inbound.put(shape.ports().service(), policy));
      List<Endpoint> endpoints =
          switch (shape.endpoints()) {
            case ClusterShape.Endpoints.Static(List<Endpoint> inline) -> inline;
            case ClusterShape.Endpoints.Eds(String name) -> {
              ClusterLoadAssignment assignment = resources.loadAssignments().get(name);
              if (assignment == null) {
                throw new XdsDecodingException(
                    XdsType.CLUSTER,
                    cluster.getName(),
                    "eds_cluster_config.service_name",
                    "no ClusterLoadAssignment named '" + name + "'");
              }
              yield endpoints(name, assignment);
            }
          };
      clusters.put(cluster.getName(), shape.with(endpoints));
    }
    return new DataPlaneConfig(version, services, clusters, ports, inbound);
  }

  static HttpListener listener(Listener listener) throws XdsDecodingException {
    try {
      return HttpListener.decode(listener);
    } catch (FieldProblem e) {
      throw e.in(XdsType.LISTENER, listener.getName());
    }
  }

  static RouteTable routeTable(RouteConfiguration config) throws XdsDecodingException {
    try {
      return RouteTable.decode(config, "");
    } catch (FieldProblem e) {
      throw e.in(XdsType.ROUTE, config.getName());
    }
  }

  static ClusterShape cluster(Cluster cluster) throws XdsDecodingException {
    try {
      return ClusterShape.decode(cluster);
    } catch (FieldProblem e) {
      throw e.in(XdsType.CLUSTER, cluster.getName());
    }
  }

  static List<Endpoint> endpoints(String name, ClusterLoadAssignment assignment)
      throws XdsDecodingException {
    try {
      return EndpointDecoder.endpoints(assignment, "");
    } catch (FieldProblem e) {
      throw e.in(XdsType.ENDPOINT, name);
    }
  }

  /**
   * The listener's routes: the virtual host for its name, each route with the fault its listener's
   * fault filter applies there and the timeout that ends it first.
   */
  private static VirtualService service(HttpListener listener, RouteTable table)
      throws XdsDecodingException {
    RouteTable.Host host =
        table
            .host(listener.name())
            .orElseThrow(
                () ->
                    new XdsDecodingException(
                        XdsType.ROUTE,
                        table.name(),
                        "virtual_hosts",
                        "no virtual host has a domain matching '"
                            + listener.name()
                            + "', the service of listener '"
                            + listener.name()
                            + "'"));
    List<RouteEntry> routes = new ArrayList<>(host.routes().size());
    for (RouteTable.Entry entry : host.routes()) {
      if (entry.action() instanceof RouteTable.Answer answer) {
        routes.add(new RouteEntry(entry.name(), entry.match(), answer.answer()));
        continue;
      }
      RouteTable.Action action = (RouteTable.Action) entry.action();
      Duration streamDuration =
          action.inheritsStreamDuration() ? listener.streamDuration() : action.streamDuration();
      routes.add(
          new RouteEntry(
              entry.name(),
              entry.match(),
              new RouteAction(
                  action.clusters(),
                  earliest(action.timeout(), streamDuration),
                  action.retry(),
                  fault(listener, table, host, entry),
                  action.mirrors(),
                  action.hashHeader(),
                  action.sticky(),
                  action.pathRewrite(),
                  action.hostRewrite())));
    }
    return new VirtualService(listener.name(), routes);
  }

  /**
   * The most specific config of the listener's fault filter, as Envoy resolves per-route config.
   */
  private static RouteAction.Fault fault(
      HttpListener listener, RouteTable table, RouteTable.Host host, RouteTable.Entry entry) {
    for (var filter : listener.faultFilters().entrySet()) {
      String name = filter.getKey();
      for (Map<String, RouteAction.Fault> level :
          List.of(entry.filterFaults(), host.filterFaults(), table.filterFaults())) {
        RouteAction.Fault fault = level.get(name);
        if (fault != null) {
          return fault;
        }
      }
      return filter.getValue();
    }
    return RouteAction.Fault.NONE;
  }

  /** The shorter of two limits where zero means none. */
  private static Duration earliest(Duration a, Duration b) {
    if (a.isZero()) {
      return b;
    }
    if (b.isZero()) {
      return a;
    }
    return a.compareTo(b) <= 0 ? a : b;
  }
}
