package dev.firemesh.proxy.telemetry;

import java.util.Objects;

/**
 * Where a request was going, as telemetry names it: decided where the request is routed, carried
 * with it to where it ends. Every value comes from the configuration (service, route and cluster
 * names), never from what a caller wrote, so metric labels stay bounded.
 *
 * @param destination the service the request is for; {@value #UNKNOWN} when the caller named no
 *     configured service
 * @param route the route's name: {@value #DEFAULT_ROUTE} for an unnamed route, {@value #NO_ROUTE}
 *     when no route applies (no route matched; inbound requests)
 * @param cluster the cluster chosen; empty when none was
 */
public record RouteLabels(String destination, String route, String cluster) {
  public static final String UNKNOWN = "unknown";
  public static final String DEFAULT_ROUTE = "default";
  public static final String NO_ROUTE = "none";

  /** Nothing known: the request ended before a route was looked for, or named no service. */
  public static final RouteLabels NONE = new RouteLabels(UNKNOWN, NO_ROUTE, "");

  public RouteLabels {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(cluster, "cluster");
  }

  /** A request for {@code service} that no route took. */
  public static RouteLabels unrouted(String service) {
    return new RouteLabels(service, NO_ROUTE, "");
  }

  /** A request that {@code route} (its configured name, maybe empty) took to {@code cluster}. */
  public static RouteLabels routed(String service, String route, String cluster) {
    return new RouteLabels(service, route.isEmpty() ? DEFAULT_ROUTE : route, cluster);
  }

  /**
   * The service a cluster belongs to: its name up to the subset separator ({@code orders|v2} is
   * {@code orders}).
   */
  public static String serviceOf(String cluster) {
    int bar = cluster.indexOf('|');
    return bar < 0 ? cluster : cluster.substring(0, bar);
  }
}
