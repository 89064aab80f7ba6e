package dev.firemesh.bench;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * What to send, how fast, and for how long.
 *
 * @param target the address to connect to (a sidecar's outbound port or an upstream)
 * @param host the {@code Host} header, which a sidecar routes on
 * @param path the request path
 * @param rate requests per second over all connections together
 * @param connections persistent connections; the schedule is spread evenly over them
 * @param pipelineDepth requests a connection may have in flight at once: pipelined requests on
 *     HTTP/1.1 (1: none, as wrk2), concurrent streams on HTTP/2 (also capped by the server's {@code
 *     SETTINGS_MAX_CONCURRENT_STREAMS})
 * @param payloadBytes the size of each POST body
 * @param warmup how long to send before recording
 * @param duration how long to record
 * @param drain how long after the last scheduled slot to wait for a backlog to be sent and answered
 * @param protocol HTTP/1.1, or HTTP/2 over cleartext with prior knowledge (h2c)
 */
public record LoadPlan(
    InetSocketAddress target,
    String host,
    String path,
    int rate,
    int connections,
    int pipelineDepth,
    int payloadBytes,
    Duration warmup,
    Duration duration,
    Duration drain,
    Protocol protocol) {

  /** A plan over HTTP/1.1. */
  public LoadPlan(
      InetSocketAddress target,
      String host,
      String path,
      int rate,
      int connections,
      int pipelineDepth,
      int payloadBytes,
      Duration warmup,
      Duration duration,
      Duration drain) {
    this(
        target,
        host,
        path,
        rate,
        connections,
        pipelineDepth,
        payloadBytes,
        warmup,
        duration,
        drain,
        Protocol.HTTP1);
  }

  public LoadPlan {
    require(rate > 0, "rate must be at least 1 request/s, was " + rate);
    require(connections > 0, "connections must be at least 1, was " + connections);
    require(
        pipelineDepth > 0 && pipelineDepth <= InFlight.MAX_LIMIT,
        "requests in flight per connection must be 1 to "
            + InFlight.MAX_LIMIT
            + ", was "
            + pipelineDepth);
    Objects.requireNonNull(protocol, "protocol");
    require(payloadBytes >= 0, "payload must be 0 bytes or more, was " + payloadBytes);
    require(!warmup.isNegative(), "warm-up must not be negative, was " + warmup);
    require(duration.isPositive(), "duration must be positive, was " + duration);
    require(!drain.isNegative(), "drain must not be negative, was " + drain);
    require(path.startsWith("/"), "path must start with '/', was '" + path + "'");
    require(!host.isBlank(), "host header must not be blank");
    require(
        measuredSlots(rate, duration) > 0,
        "rate x duration must schedule at least one request, was " + rate + "/s x " + duration);
  }

  /** Requests sent before recording starts. */
  public long warmupSlots() {
    return slots(rate, warmup);
  }

  /** Requests whose intended send time falls in the measured window. */
  public long measuredSlots() {
    return measuredSlots(rate, duration);
  }

  private static long measuredSlots(int rate, Duration duration) {
    return slots(rate, duration);
  }

  private static long slots(int rate, Duration span) {
    // rounded, so 1000/s for 2 s is exactly 2000 slots whatever the nanosecond arithmetic
    return Math.round(rate * (span.toNanos() / 1e9));
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
