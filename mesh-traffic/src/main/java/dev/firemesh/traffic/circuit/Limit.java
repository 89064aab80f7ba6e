package dev.firemesh.traffic.circuit;

/** The circuit-breaking limits of a cluster; {@link #wireName()} is what callers are told. */
public enum Limit {
  MAX_CONNECTIONS("max_connections"),
  MAX_PENDING_REQUESTS("max_pending_requests"),
  MAX_REQUESTS("max_requests"),
  MAX_RETRIES("max_retries"),
  RETRY_BUDGET("retry_budget");

  /** The response header that names the limit a refused request tripped. */
  public static final String OVERFLOW_HEADER = "x-firemesh-overflow";

  private final String wireName;

  Limit(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
