package dev.firemesh.traffic.route;

/**
 * One request in flight to one endpoint. {@link #close()} ends it; closing more than once has no
 * further effect.
 */
public interface RequestLease extends AutoCloseable {
  @Override
  void close();
}
