package dev.firemesh.telemetry.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TraceHopTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER = "00f067aa0ba902b7";
  private static final Sampler NEVER = new Sampler(0, Duration.ofMillis(250));
  private static final Sampler ALWAYS = new Sampler(1, Duration.ofMillis(250));

  @Test
  void continuesTheCallersTraceWithASpanOfItsOwn() {
    TraceHop hop = TraceHop.start("00-" + TRACE + "-" + CALLER + "-01", "congo=t61rcWkgMzE", NEVER);

    assertThat(hop.traceId().hex()).isEqualTo(TRACE);
    assertThat(hop.parentSpanId()).map(SpanId::hex).contains(CALLER);
    assertThat(hop.isRoot()).isFalse();
    assertThat(hop.spanId().isNone()).isFalse();
    assertThat(hop.spanId().hex()).isNotEqualTo(CALLER);
    assertThat(hop.sampled()).as("the caller's decision, not the ratio's").isTrue();
    assertThat(hop.outgoingTraceparent())
        .isEqualTo("00-" + TRACE + "-" + hop.spanId().hex() + "-01");
    assertThat(hop.outgoingTracestate()).contains("congo=t61rcWkgMzE");
  }

  @Test
  void keepsACallersDecisionNotToSample() {
    TraceHop hop = TraceHop.start("00-" + TRACE + "-" + CALLER + "-00", null, ALWAYS);

    assertThat(hop.sampled()).isFalse();
    assertThat(hop.outgoingTraceparent()).endsWith("-00");
    assertThat(hop.outgoingTracestate()).isEmpty();
  }

  @Test
  void startsATraceWhenTheRequestHasNoneOrAnInvalidOne() {
    for (String traceparent :
        new String[] {null, "", "garbage", "00-" + "0".repeat(32) + "-" + CALLER + "-01"}) {
      TraceHop sampled = TraceHop.start(traceparent, "congo=t61rcWkgMzE", ALWAYS);
      assertThat(sampled.isRoot()).isTrue();
      assertThat(sampled.parentSpanId()).isEmpty();
      assertThat(sampled.sampled()).isTrue();
      assertThat(sampled.outgoingTraceparent()).endsWith("-01");
      assertThat(sampled.outgoingTracestate())
          .as("a tracestate without its traceparent is not carried into a new trace")
          .isEmpty();

      TraceHop unsampled = TraceHop.start(traceparent, null, NEVER);
      assertThat(unsampled.sampled()).isFalse();
      assertThat(unsampled.outgoingTraceparent()).endsWith("-00");
      assertThat(unsampled.traceId()).isNotEqualTo(sampled.traceId());
    }
  }

  @Test
  void dropsAnInvalidTracestateButKeepsTheTrace() {
    TraceHop hop = TraceHop.start("00-" + TRACE + "-" + CALLER + "-01", "a=1,a=2", NEVER);

    assertThat(hop.traceId().hex()).isEqualTo(TRACE);
    assertThat(hop.outgoingTracestate()).isEmpty();
  }

  @Test
  void aChainOfSidecarsLinksEachHopToThePreviousOne() {
    // generator's outbound sidecar -> orders' inbound sidecar -> (app) -> orders' outbound sidecar
    TraceHop generatorOut = TraceHop.start(null, null, ALWAYS);
    TraceHop ordersIn = TraceHop.start(generatorOut.outgoingTraceparent(), null, NEVER);
    TraceHop ordersOut = TraceHop.start(ordersIn.outgoingTraceparent(), null, NEVER);

    assertThat(ordersIn.traceId()).isEqualTo(generatorOut.traceId());
    assertThat(ordersOut.traceId()).isEqualTo(generatorOut.traceId());
    assertThat(ordersIn.parentSpanId()).contains(generatorOut.spanId());
    assertThat(ordersOut.parentSpanId()).contains(ordersIn.spanId());
    assertThat(ordersOut.sampled()).isTrue();
  }

  @Test
  void newIdsAreNonZeroAndDistinct() {
    Set<SpanId> spans = new HashSet<>();
    Set<TraceId> traces = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      TraceHop hop = TraceHop.start(null, null, NEVER);
      assertThat(hop.spanId().isNone()).isFalse();
      assertThat(hop.traceId().low()).isNotZero();
      spans.add(hop.spanId());
      traces.add(hop.traceId());
    }
    assertThat(spans).hasSize(100_000);
    assertThat(traces).hasSize(100_000);
  }

  @Test
  void finishExportsOnlySampledFailedOrSlowHops() {
    TraceHop unsampled = TraceHop.start("00-" + TRACE + "-" + CALLER + "-00", null, NEVER);

    assertThat(unsampled.finish(outcome(200, Duration.ofMillis(3)))).isEmpty();
    assertThat(unsampled.finish(outcome(404, Duration.ofMillis(3)))).isEmpty();
    assertThat(unsampled.finish(outcome(503, Duration.ofMillis(3)))).isPresent();
    assertThat(unsampled.finish(outcome(200, Duration.ofMillis(251)))).isPresent();

    TraceHop sampled = TraceHop.start("00-" + TRACE + "-" + CALLER + "-01", null, NEVER);
    assertThat(sampled.finish(outcome(200, Duration.ofMillis(3)))).isPresent();
  }

  @Test
  void theSpanDescribesTheHop() {
    TraceHop hop = TraceHop.start("00-" + TRACE + "-" + CALLER + "-01", "congo=t61rcWkgMzE", NEVER);
    long start = 1_760_000_000_123_456_789L;
    HopOutcome outcome =
        HopOutcome.builder(Direction.INBOUND)
            .timing(start, 4_000_000)
            .request("GET", "http", "/orders/o-1")
            .statusCode(200)
            .mesh("traffic-generator", "orders", "default")
            .build();

    Span span = hop.finish(outcome).orElseThrow();

    assertThat(span.traceId()).isEqualTo(hop.traceId());
    assertThat(span.spanId()).isEqualTo(hop.spanId());
    assertThat(span.parentSpanId().hex()).isEqualTo(CALLER);
    assertThat(span.traceState()).isEqualTo("congo=t61rcWkgMzE");
    assertThat(span.sampled()).isTrue();
    assertThat(span.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(span.name()).isEqualTo("GET");
    assertThat(span.startEpochNanos()).isEqualTo(start);
    assertThat(span.endEpochNanos()).isEqualTo(start + 4_000_000);
    assertThat(span.status()).isEqualTo(SpanStatus.UNSET);
    assertThat(span.attributes().get(SemanticAttributes.FIREMESH_DESTINATION)).contains("orders");
  }

  private static HopOutcome outcome(int status, Duration took) {
    return HopOutcome.builder(Direction.OUTBOUND)
        .timing(1_760_000_000_000_000_000L, took.toNanos())
        .request("GET", "http", "/x")
        .statusCode(status)
        .build();
  }
}
