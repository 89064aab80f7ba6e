package dev.firemesh.traffic.retry;

import dev.firemesh.traffic.config.HeaderMatcher;
import dev.firemesh.traffic.config.RequestView;
import dev.firemesh.traffic.config.RouteAction;
import dev.firemesh.traffic.route.Outcome;
import java.time.Duration;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A route's retry policy, ready to answer the questions asked while a request is in flight: may
 * this request be retried at all, is this failure worth another try, and how long to wait first.
 *
 * <p>Only requests safe to send twice are retried: those matching one of the policy's retriable
 * request conditions, or, when it lists none, idempotent methods (RFC 9110 section 9.2.2). In
 * trading a POST sent twice can place an order twice, so no configuration retries one that does not
 * say it is safe.
 */
public final class RetryRule {
  /** No retries: every failure is final. */
  public static final RetryRule NONE = new RetryRule(RouteAction.Retry.NONE);

  /** gRPC status codes by the names {@code retry_on} uses for them. */
  private static final int CANCELLED = 1;

  private static final int DEADLINE_EXCEEDED = 4;
  private static final int RESOURCE_EXHAUSTED = 8;
  private static final int INTERNAL = 13;
  private static final int UNAVAILABLE = 14;

  private final RouteAction.Retry policy;
  private final boolean serverError;
  private final boolean gatewayError;
  private final boolean reset;
  private final boolean connectFailure;
  private final boolean refusedStream;
  private final long backoffBaseNanos;
  private final long backoffMaxNanos;

  public RetryRule(RouteAction.Retry policy) {
    this.policy = policy;
    Set<String> on = policy.retryOn();
    this.serverError = on.contains("5xx");
    this.gatewayError = on.contains("gateway-error");
    this.reset = on.contains("reset");
    this.connectFailure = on.contains("connect-failure");
    this.refusedStream = on.contains("refused-stream");
    this.backoffBaseNanos = policy.backoffBase().toNanos();
    this.backoffMaxNanos = Math.max(backoffBaseNanos, policy.backoffMax().toNanos());
  }

  /** At most this many retries after the first try. */
  public int maxRetries() {
    return policy.maxRetries();
  }

  /** The bound of each try; zero: only the route's timeout. */
  public Duration perTryTimeout() {
    return policy.perTryTimeout();
  }

  /** Whether a try can ever be retried, so the request must be kept until the answer starts. */
  public boolean enabled() {
    return policy.maxRetries() > 0;
  }

  /** Whether {@code request} is safe to send more than once. */
  public boolean permits(RequestView request) {
    if (!enabled()) {
      return false;
    }
    if (policy.retriableRequests().isEmpty()) {
      return idempotent(request.method());
    }
    for (HeaderMatcher condition : policy.retriableRequests()) {
      if (condition.matches(request)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a try that ended with {@code outcome} is worth another. {@code grpcStatus} is the gRPC
   * status of a response that carried one in its head (a "trailers-only" answer), else -1. A
   * timeout counts as a gateway error and as a reset, as in Envoy.
   */
  public boolean retriable(Outcome outcome, int grpcStatus) {
    return switch (outcome.kind()) {
      case CONNECT_FAILURE -> connectFailure || serverError || gatewayError;
      case RESET, TIMEOUT -> reset || serverError || gatewayError;
      case RESPONSE ->
          (serverError && outcome.status() >= 500)
              || (gatewayError && outcome.gatewayError())
              || (grpcStatus > 0 && policy.retryOn().contains(grpcName(grpcStatus)));
    };
  }

  /** Whether an HTTP/2 stream the upstream refused unprocessed is worth another try. */
  public boolean retriesRefusedStream() {
    return refusedStream || reset || serverError || gatewayError;
  }

  /**
   * The wait before retry number {@code retry} (1 for the first): a random time up to {@code (2^n -
   * 1)} times the base, capped at the maximum (Envoy's exponential back-off with full jitter, so
   * the retries of many callers spread out instead of arriving together).
   */
  public long backoffNanos(int retry, RandomGenerator random) {
    if (backoffBaseNanos <= 0) {
      return 0;
    }
    int doublings = Math.min(Math.max(retry, 1), 30);
    long ceiling = backoffBaseNanos * ((1L << doublings) - 1);
    if (ceiling <= 0 || ceiling > backoffMaxNanos) {
      ceiling = backoffMaxNanos;
    }
    return random.nextLong(ceiling + 1);
  }

  private static String grpcName(int status) {
    return switch (status) {
      case CANCELLED -> "cancelled";
      case DEADLINE_EXCEEDED -> "deadline-exceeded";
      case RESOURCE_EXHAUSTED -> "resource-exhausted";
      case INTERNAL -> "internal";
      case UNAVAILABLE -> "unavailable";
      default -> "";
    };
  }

  /** RFC 9110 section 9.2.2. */
  public static boolean idempotent(String method) {
    return switch (method) {
      case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE" -> true;
      default -> false;
    };
  }
}
