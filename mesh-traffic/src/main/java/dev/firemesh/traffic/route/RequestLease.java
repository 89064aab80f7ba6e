package dev.firemesh.traffic.route;

/**
 * One request in flight to one endpoint. The request ends with {@link #close(Outcome)} when the
 * endpoint answered or failed (the outcome feeds the endpoint's health), or with {@link #close()}
 * when it ended otherwise (the caller left; nothing is learnt about the endpoint). Only the first
 * close counts.
 */
public interface RequestLease extends AutoCloseable {
  @Override
  void close();

  /** Ends the request with what the endpoint did. */
  default void close(Outcome outcome) {
    close();
  }
}
