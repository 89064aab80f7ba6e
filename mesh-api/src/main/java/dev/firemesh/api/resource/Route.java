package dev.firemesh.api.resource;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How calls to one service are routed: an ordered list of rules, the first whose match accepts a
 * request wins. A service with no Route gets one default rule sending everything to all instances.
 *
 * <p>Absent settings are explicit values rather than nulls: a zero timeout means none, {@link
 * RetryPolicy#NONE} means no retries, {@link Fault#NONE} injects nothing.
 */
public record Route(Metadata metadata, Spec spec) implements Resource {

  @Override
  public Kind kind() {
    return Kind.ROUTE;
  }

  /** {@code service} names the Service whose callers this route applies to. */
  public record Spec(String service, List<Rule> rules) {
    public Spec {
      Objects.requireNonNull(service, "service");
      rules = List.copyOf(rules);
    }
  }

  /**
   * A rule applies when any of its matches accepts the request (an empty list accepts all), and
   * then sends it to one of the weighted destinations.
   */
  public record Rule(
      String name,
      List<Match> matches,
      List<Destination> destinations,
      Duration timeout,
      RetryPolicy retry,
      Fault fault,
      List<Mirror> mirrors) {
    public Rule {
      matches = List.copyOf(matches);
      destinations = List.copyOf(destinations);
      mirrors = List.copyOf(mirrors);
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(retry, "retry");
      Objects.requireNonNull(fault, "fault");
    }
  }

  /** All conditions of one match must hold; an empty condition list accepts every request. */
  public record Match(
      PathMatch path, List<String> methods, List<HeaderMatch> headers, List<CookieMatch> cookies) {
    public Match {
      Objects.requireNonNull(path, "path");
      methods = List.copyOf(methods);
      headers = List.copyOf(headers);
      cookies = List.copyOf(cookies);
    }
  }

  /** Condition on the request path. */
  public sealed interface PathMatch {
    record Any() implements PathMatch {}

    record Exact(String path) implements PathMatch {}

    record Prefix(String prefix) implements PathMatch {}

    /** A RE2-compatible regular expression that must match the whole path. */
    record Regex(String regex) implements PathMatch {}
  }

  /** Condition on a header or cookie value. */
  public sealed interface ValueMatch {
    /** The header or cookie is present, whatever its value. */
    record Present() implements ValueMatch {}

    record Exact(String value) implements ValueMatch {}

    record Prefix(String prefix) implements ValueMatch {}

    /** A RE2-compatible regular expression that must match the whole value. */
    record Regex(String regex) implements ValueMatch {}
  }

  /** {@code invert} makes the condition hold when the value does not match. */
  public record HeaderMatch(String name, ValueMatch value, boolean invert) {
    public HeaderMatch {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }

  public record CookieMatch(String name, ValueMatch value, boolean invert) {
    public CookieMatch {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * Where a request goes: a service (by default the route's own), optionally one of its subsets,
   * with a relative weight. Weights of a rule's destinations need not sum to 100.
   *
   * <p>The codec always fills in {@code service} (the route's own when a document leaves it out);
   * an empty {@code service}, as code may build it, also means the route's own.
   */
  public record Destination(String service, String subset, int weight) {
    public static final String ALL_INSTANCES = "";

    public Destination {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(subset, "subset");
      if (weight < 0) {
        throw new IllegalArgumentException("weight must not be negative: " + weight);
      }
    }

    /** All instances of {@code service}, weight 1. */
    public static Destination of(String service) {
      return new Destination(service, ALL_INSTANCES, 1);
    }

    public boolean hasSubset() {
      return !subset.isEmpty();
    }
  }

  /**
   * Retries: at most {@code attempts} retries after the first try, each try bounded by {@code
   * perTryTimeout} (zero: only the rule's timeout), backing off exponentially from {@code
   * backoffBase} up to {@code backoffMax}, on the listed conditions only.
   *
   * <p>Only requests that are safe to send twice are retried: idempotent methods (GET, HEAD,
   * OPTIONS, TRACE, PUT, DELETE), and, when {@code idempotencyKey} is set, any request that carries
   * an {@code Idempotency-Key} header (the server promises to apply it once).
   */
  public record RetryPolicy(
      int attempts,
      Duration perTryTimeout,
      List<RetryOn> retryOn,
      Duration backoffBase,
      Duration backoffMax,
      boolean idempotencyKey) {
    public static final RetryPolicy NONE =
        new RetryPolicy(0, Duration.ZERO, List.of(), Duration.ZERO, Duration.ZERO, false);

    public RetryPolicy {
      Objects.requireNonNull(perTryTimeout, "perTryTimeout");
      retryOn = List.copyOf(retryOn);
      Objects.requireNonNull(backoffBase, "backoffBase");
      Objects.requireNonNull(backoffMax, "backoffMax");
    }

    /** A policy that retries idempotent methods only. */
    public RetryPolicy(
        int attempts,
        Duration perTryTimeout,
        List<RetryOn> retryOn,
        Duration backoffBase,
        Duration backoffMax) {
      this(attempts, perTryTimeout, retryOn, backoffBase, backoffMax, false);
    }

    public boolean enabled() {
      return attempts > 0;
    }
  }

  /** The conditions that make a try worth retrying. */
  public enum RetryOn {
    SERVER_ERROR("5xx"),
    GATEWAY_ERROR("gateway-error"),
    RESET("reset"),
    CONNECT_FAILURE("connect-failure"),
    REFUSED_STREAM("refused-stream"),
    RETRIABLE_STATUS_CODES("retriable-status-codes"),
    GRPC_CANCELLED("cancelled"),
    GRPC_DEADLINE_EXCEEDED("deadline-exceeded"),
    GRPC_RESOURCE_EXHAUSTED("resource-exhausted"),
    GRPC_UNAVAILABLE("unavailable");

    private final String wireName;

    RetryOn(String wireName) {
      this.wireName = wireName;
    }

    /** The name used in documents and in Envoy's {@code retry_on}. */
    public String wireName() {
      return wireName;
    }
  }

  /**
   * Fault injection for resilience tests: delays and aborts on a percentage of requests; with
   * {@code headers}, only of requests that match all of them (so a test can aim at its own calls in
   * a live system).
   */
  public record Fault(Delay delay, Abort abort, List<HeaderMatch> headers) {
    public static final Fault NONE = new Fault(Delay.NONE, Abort.NONE);

    public Fault {
      Objects.requireNonNull(delay, "delay");
      Objects.requireNonNull(abort, "abort");
      headers = List.copyOf(headers);
    }

    /** A fault for every request the rule matches. */
    public Fault(Delay delay, Abort abort) {
      this(delay, abort, List.of());
    }

    public boolean enabled() {
      return delay.percent() > 0 || abort.percent() > 0;
    }

    public record Delay(double percent, Duration duration) {
      public static final Delay NONE = new Delay(0, Duration.ZERO);

      public Delay {
        Objects.requireNonNull(duration, "duration");
      }
    }

    /** Abort with an HTTP status, or for gRPC callers a gRPC status code if non-zero. */
    public record Abort(double percent, int httpStatus, int grpcStatus) {
      public static final Abort NONE = new Abort(0, 0, 0);
    }
  }

  /**
   * Copies a percentage of requests to another destination; responses are discarded. As for {@link
   * Destination}, an empty {@code service} means the route's own.
   */
  public record Mirror(String service, String subset, double percent) {
    public Mirror {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(subset, "subset");
    }
  }
}
