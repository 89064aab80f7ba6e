package dev.firemesh.control.telemetry;

import java.time.Instant;
import java.util.List;

/**
 * The live service graph over one window: every known service with its figures, and every edge that
 * carried calls. Rates are per second over the part of the window the collector covered; error
 * rates are 0 without requests; latencies are NaN without observations.
 *
 * @param at the end of the window (the last scrape)
 */
public record ServiceGraph(GraphWindow window, Instant at, List<Node> nodes, List<Edge> edges) {
  public ServiceGraph {
    nodes = List.copyOf(nodes);
    edges = List.copyOf(edges);
  }

  /** A service: its registered instances, how many are healthy, and the calls it answered. */
  public record Node(
      String service,
      int instances,
      int healthy,
      double rps,
      double errorRate,
      double p50Ms,
      double p99Ms) {}

  /** Calls from one service to another. */
  public record Edge(
      String source,
      String destination,
      double rps,
      double errorRate,
      double p50Ms,
      double p99Ms) {}
}
