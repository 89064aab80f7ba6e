package dev.firemesh.xds.client;

import static dev.firemesh.xds.client.ProtoFields.at;

import dev.firemesh.traffic.config.PathRewrite;
import dev.firemesh.traffic.config.RequestMatch;
import dev.firemesh.traffic.config.RouteAction;
import dev.firemesh.traffic.config.RouteEntry;
import dev.firemesh.traffic.config.StickyKey;
import dev.firemesh.xds.translate.RouteMetadata;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A RouteConfiguration decoded as far as it can be without its listener: the listener decides which
 * virtual host applies (by its name), which per-filter configs take effect (those of its filters)
 * and the default stream duration.
 */
record RouteTable(String name, List<Host> hosts, Map<String, RouteAction.Fault> filterFaults) {
  private static final Set<String> ROUTE_CONFIGURATION =
      Set.of("name", "virtual_hosts", "typed_per_filter_config", "validate_clusters");
  private static final Set<String> VIRTUAL_HOST =
      Set.of("name", "domains", "routes", "retry_policy", "typed_per_filter_config");
  private static final Set<String> ROUTE =
      Set.of(
          "name",
          "match",
          "route",
          "redirect",
          "direct_response",
          "typed_per_filter_config",
          "metadata");

  RouteTable {
    hosts = List.copyOf(hosts);
    filterFaults = Map.copyOf(filterFaults);
  }

  /** A virtual host: its domains, its routes and its per-filter fault configs by filter name. */
  record Host(
      String name,
      List<String> domains,
      List<Entry> routes,
      Map<String, RouteAction.Fault> filterFaults) {
    Host {
      domains = List.copyOf(domains);
      routes = List.copyOf(routes);
      filterFaults = Map.copyOf(filterFaults);
    }
  }

  /** One route with the fault configs it names by filter. */
  record Entry(
      String name,
      RequestMatch match,
      Outcome action,
      Map<String, RouteAction.Fault> filterFaults) {
    Entry {
      filterFaults = Map.copyOf(filterFaults);
    }
  }

  /** What a route does: forward ({@link Action}) or answer itself ({@link Answer}). */
  sealed interface Outcome permits Action, Answer {}

  /** A route action less its fault; {@code timeout} zero means none. */
  record Action(
      List<RouteAction.WeightedCluster> clusters,
      Duration timeout,
      boolean inheritsStreamDuration,
      Duration streamDuration,
      RouteAction.Retry retry,
      List<RouteAction.Mirror> mirrors,
      String hashHeader,
      StickyKey sticky,
      PathRewrite pathRewrite,
      String hostRewrite)
      implements Outcome {
    Action {
      clusters = List.copyOf(clusters);
      mirrors = List.copyOf(mirrors);
    }
  }

  /** A redirect or direct response: complete as decoded, the listener adds nothing. */
  record Answer(RouteEntry.Action answer) implements Outcome {}

  static RouteTable decode(RouteConfiguration config, String path) throws FieldProblem {
    ProtoFields.only(config, path, ROUTE_CONFIGURATION);
    List<Host> hosts = new ArrayList<>();
    for (int i = 0; i < config.getVirtualHostsCount(); i++) {
      hosts.add(host(config.getVirtualHosts(i), at(path, "virtual_hosts", i)));
    }
    return new RouteTable(
        config.getName(),
        hosts,
        filterFaults(config.getTypedPerFilterConfigMap(), at(path, "typed_per_filter_config")));
  }

  /**
   * The virtual host for {@code authority}, as Envoy picks it: an exact domain first, then the
   * longest suffix wildcard ({@code *.example}), then the longest prefix wildcard ({@code
   * orders:*}), then {@code *}.
   */
  Optional<Host> host(String authority) {
    Host best = null;
    int bestRank = Integer.MAX_VALUE;
    int bestLength = -1;
    for (Host host : hosts) {
      for (String domain : host.domains()) {
        int rank;
        if (domain.equals(authority)) {
          rank = 0;
        } else if (domain.equals("*")) {
          rank = 3;
        } else if (domain.startsWith("*") && authority.endsWith(domain.substring(1))) {
          rank = 1;
        } else if (domain.endsWith("*")
            && authority.startsWith(domain.substring(0, domain.length() - 1))) {
          rank = 2;
        } else {
          continue;
        }
        if (rank < bestRank || (rank == bestRank && domain.length() > bestLength)) {
          best = host;
          bestRank = rank;
          bestLength = domain.length();
        }
      }
    }
    return Optional.ofNullable(best);
  }

  private static Host host(VirtualHost host, String path) throws FieldProblem {
    ProtoFields.only(host, path, VIRTUAL_HOST);
    if (host.getDomainsCount() == 0) {
      throw new FieldProblem(at(path, "domains"), "at least one domain is required");
    }
    RouteAction.Retry retry =
        host.hasRetryPolicy()
            ? ActionDecoder.retry(host.getRetryPolicy(), at(path, "retry_policy"))
            : RouteAction.Retry.NONE;
    List<Entry> routes = new ArrayList<>();
    for (int i = 0; i < host.getRoutesCount(); i++) {
      routes.add(route(host.getRoutes(i), at(path, "routes", i), retry));
    }
    return new Host(
        host.getName(),
        host.getDomainsList(),
        routes,
        filterFaults(host.getTypedPerFilterConfigMap(), at(path, "typed_per_filter_config")));
  }

  private static Entry route(Route route, String path, RouteAction.Retry hostRetry)
      throws FieldProblem {
    ProtoFields.only(route, path, ROUTE);
    if (!route.hasMatch()) {
      throw new FieldProblem(at(path, "match"), "required");
    }
    RequestMatch match = MatchDecoder.match(route.getMatch(), at(path, "match"));
    Outcome action =
        switch (route.getActionCase()) {
          case ROUTE -> {
            Action forward = ActionDecoder.action(route.getRoute(), at(path, "route"), hostRetry);
            Optional<String> cookie = stickyCookie(route, path);
            yield cookie.isEmpty() || forward.clusters().size() < 2
                ? forward
                : withSticky(forward, StickyKey.cookie(cookie.get()));
          }
          case REDIRECT ->
              new Answer(AnswerDecoder.redirect(route.getRedirect(), at(path, "redirect")));
          case DIRECT_RESPONSE ->
              new Answer(
                  AnswerDecoder.directResponse(
                      route.getDirectResponse(), at(path, "direct_response")));
          default ->
              throw new FieldProblem(
                  path,
                  "only route, redirect and direct_response actions are supported (not "
                      + route.getActionCase().name().toLowerCase(java.util.Locale.ROOT)
                      + ")");
        };
    return new Entry(
        route.getName(),
        match,
        action,
        filterFaults(route.getTypedPerFilterConfigMap(), at(path, "typed_per_filter_config")));
  }

  /** The cookie of a {@link RouteMetadata} sticky draw, if the route's metadata names one. */
  private static Optional<String> stickyCookie(Route route, String path) throws FieldProblem {
    com.google.protobuf.Struct struct =
        route.getMetadata().getFilterMetadataMap().get(RouteMetadata.FILTER);
    if (struct == null || !struct.containsFields(RouteMetadata.STICKY_COOKIE)) {
      return Optional.empty();
    }
    com.google.protobuf.Value value = struct.getFieldsOrThrow(RouteMetadata.STICKY_COOKIE);
    if (!value.hasStringValue() || value.getStringValue().isEmpty()) {
      throw new FieldProblem(
          at(path, "metadata.filter_metadata[" + RouteMetadata.FILTER + "]")
              + "."
              + RouteMetadata.STICKY_COOKIE,
          "expected a cookie name");
    }
    return Optional.of(value.getStringValue());
  }

  private static Action withSticky(Action a, StickyKey sticky) {
    return new Action(
        a.clusters(),
        a.timeout(),
        a.inheritsStreamDuration(),
        a.streamDuration(),
        a.retry(),
        a.mirrors(),
        a.hashHeader(),
        sticky,
        a.pathRewrite(),
        a.hostRewrite());
  }

  /**
   * Per-filter configs by filter name. Only the fault filter's are understood; a config the data
   * plane cannot apply is refused unless marked optional. A disabled filter injects no fault.
   */
  private static Map<String, RouteAction.Fault> filterFaults(
      Map<String, com.google.protobuf.Any> configs, String path) throws FieldProblem {
    Map<String, RouteAction.Fault> faults = new TreeMap<>();
    for (var entry : configs.entrySet()) {
      String configPath = path + "[" + entry.getKey() + "]";
      com.google.protobuf.Any config = entry.getValue();
      boolean optional = false;
      if (config.is(FilterConfig.class)) {
        FilterConfig wrapper = ProtoFields.unpack(config, FilterConfig.class, configPath);
        ProtoFields.only(wrapper, configPath, Set.of("config", "is_optional", "disabled"));
        if (wrapper.getDisabled()) {
          faults.put(entry.getKey(), RouteAction.Fault.NONE);
          continue;
        }
        optional = wrapper.getIsOptional();
        config = wrapper.getConfig();
        configPath = at(configPath, "config");
      }
      if (config.is(HTTPFault.class)) {
        faults.put(
            entry.getKey(),
            FaultDecoder.fault(
                ProtoFields.unpack(config, HTTPFault.class, configPath), configPath));
      } else if (!optional) {
        throw new FieldProblem(
            configPath,
            "the per-filter config "
                + (config.getTypeUrl().isEmpty() ? "(untyped)" : config.getTypeUrl())
                + " is not supported by the FireMesh data plane");
      }
    }
    return faults;
  }
}
