package dev.firemesh.telemetry.otlp;

import dev.firemesh.telemetry.trace.Direction;
import dev.firemesh.telemetry.trace.HopOutcome;
import dev.firemesh.telemetry.trace.Resource;
import dev.firemesh.telemetry.trace.Sampler;
import dev.firemesh.telemetry.trace.Span;
import dev.firemesh.telemetry.trace.TraceHop;
import java.time.Duration;

/** Spans as a sidecar makes them, for the export tests. */
final class Spans {
  static final Resource ORDERS = new Resource("orders", "orders-1", "dev");
  private static final Sampler ALWAYS = new Sampler(1, Duration.ofMillis(250));

  private Spans() {}

  static Span inbound(String path) {
    return TraceHop.start(null, null, ALWAYS)
        .finish(
            HopOutcome.builder(Direction.INBOUND)
                .timing(1_760_000_000_000_000_000L, 2_000_000)
                .request("GET", "http", path)
                .statusCode(200)
                .mesh("traffic-generator", "orders", "default")
                .build())
        .orElseThrow();
  }
}
