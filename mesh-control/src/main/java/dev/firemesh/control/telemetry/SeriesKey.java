package dev.firemesh.control.telemetry;

import java.util.Objects;

/**
 * Whose calls a set of figures counts: as seen by the caller's sidecar ({@code outbound}) or the
 * callee's ({@code inbound}), from which service to which. Route, status and gRPC code are summed
 * away: the graph is per edge.
 */
public record SeriesKey(Direction direction, String source, String destination) {
  /** The side of the call that counted it. */
  public enum Direction {
    INBOUND,
    OUTBOUND
  }

  /** The caller's service on inbound series when its sidecar had no verified identity. */
  public static final String UNKNOWN = "unknown";

  public SeriesKey {
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
  }

  public Edge edge() {
    return new Edge(source, destination);
  }

  /** A caller and a callee in the service graph. */
  public record Edge(String source, String destination) {
    public Edge {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(destination, "destination");
    }
  }
}
