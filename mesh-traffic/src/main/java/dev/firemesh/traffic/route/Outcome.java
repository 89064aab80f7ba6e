package dev.firemesh.traffic.route;

/**
 * How one try of a request to one endpoint ended, as far as the health of that endpoint is
 * concerned. A response is what the endpoint answered; the other kinds are failures the caller saw
 * before any response: the connect failed, the connection or stream was reset, or the try timed
 * out. Outlier detection counts these; a request the caller abandoned has no outcome.
 */
public record Outcome(Kind kind, int status) {

  public enum Kind {
    RESPONSE,
    CONNECT_FAILURE,
    RESET,
    TIMEOUT
  }

  public static final Outcome CONNECT_FAILURE = new Outcome(Kind.CONNECT_FAILURE, 0);
  public static final Outcome RESET = new Outcome(Kind.RESET, 0);
  public static final Outcome TIMEOUT = new Outcome(Kind.TIMEOUT, 0);

  public Outcome {
    if (kind == Kind.RESPONSE && (status < 100 || status > 999)) {
      throw new IllegalArgumentException("response status out of range: " + status);
    }
    if (kind != Kind.RESPONSE && status != 0) {
      throw new IllegalArgumentException(kind + " carries no status: " + status);
    }
  }

  public static Outcome response(int status) {
    return new Outcome(Kind.RESPONSE, status);
  }

  /** A 5xx answer, or no answer at all: what Envoy's {@code consecutive_5xx} counts. */
  public boolean serverError() {
    return kind != Kind.RESPONSE || status >= 500;
  }

  /**
   * 502, 503 or 504, or no answer at all: the endpoint (or the way to it) failed, rather than the
   * application answering with an error of its own. What {@code consecutive_gateway_failure}
   * counts.
   */
  public boolean gatewayError() {
    return kind != Kind.RESPONSE || status == 502 || status == 503 || status == 504;
  }
}
