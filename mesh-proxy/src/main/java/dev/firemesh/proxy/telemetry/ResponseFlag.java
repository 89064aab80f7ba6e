package dev.firemesh.proxy.telemetry;

/**
 * Why a request ended the way it did, when the sidecar had a hand in it: in the style of Envoy's
 * response flags, with Envoy's codes where Envoy has one, so that operators read them at a glance.
 * One flag per request: the last condition that decided the outcome.
 */
public enum ResponseFlag {
  /** Nothing to say: the response is the upstream's (or a route's redirect). */
  NONE("-"),
  /** No route: unknown service, or no route of the service matches (404). */
  NO_ROUTE("NR"),
  /** No healthy upstream: unknown cluster, no endpoint, or no app port for the request (503). */
  NO_HEALTHY_UPSTREAM("UH"),
  /** A cluster's circuit breaker refused the request (503). */
  UPSTREAM_OVERFLOW("UO"),
  /** The connection to the upstream failed (503). */
  UPSTREAM_CONNECT_FAILURE("UF"),
  /** The upstream closed or reset before its response ended (502, or a cut response). */
  UPSTREAM_RESET("UC"),
  /** The per-try timeout or the request's deadline passed while waiting for the upstream (504). */
  UPSTREAM_TIMEOUT("UT"),
  /** The caller's deadline had passed before the request was forwarded (504); FireMesh's own. */
  DEADLINE_EXPIRED("DT"),
  /** A local rate limit refused the request (429). */
  RATE_LIMITED("RL"),
  /** An authorization policy denied the request (403); FireMesh's own code. */
  ACCESS_DENIED("AD"),
  /** An injected fault aborted the request. */
  FAULT_ABORT("FI"),
  /** An injected fault delayed the request. */
  FAULT_DELAY("DI"),
  /** A route answered with a fixed response; FireMesh's own code. */
  DIRECT_RESPONSE("DR"),
  /** The caller's request could not be taken: malformed, too large, unsupported (4xx, 5xx). */
  DOWNSTREAM_PROTOCOL_ERROR("DPE"),
  /** The upstream's response could not be passed on: malformed, or switched protocols (502). */
  UPSTREAM_PROTOCOL_ERROR("UPE"),
  /** The caller went away before its response ended. */
  DOWNSTREAM_CLOSED("DC"),
  /** The sidecar failed to decide (a routing error, 500). */
  LOCAL_ERROR("LE");

  private final String code;

  ResponseFlag(String code) {
    this.code = code;
  }

  /** The short code access logs show: {@code UH}, {@code NR}; {@code -} for {@link #NONE}. */
  public String code() {
    return code;
  }
}
