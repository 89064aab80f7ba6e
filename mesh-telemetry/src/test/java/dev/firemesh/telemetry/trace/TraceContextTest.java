package dev.firemesh.telemetry.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * W3C trace context as the spec's examples and its test suite's cases say: what is accepted, what
 * is refused (and the trace then restarted by the caller), and what a sidecar forwards.
 */
class TraceContextTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN = "00f067aa0ba902b7";
  private static final String VALID = "00-" + TRACE + "-" + SPAN + "-01";

  @Test
  void readsTheSpecsExample() {
    TraceContext context = TraceContext.parse(VALID, null).orElseThrow();

    assertThat(context.traceId().hex()).isEqualTo(TRACE);
    assertThat(context.traceId().high()).isEqualTo(0x4bf92f3577b34da6L);
    assertThat(context.traceId().low()).isEqualTo(0xa3ce929d0e0e4736L);
    assertThat(context.spanId().hex()).isEqualTo(SPAN);
    assertThat(context.sampled()).isTrue();
    assertThat(context.traceState().isEmpty()).isTrue();
    assertThat(context.traceparent()).isEqualTo(VALID);
    assertThat(context.tracestate()).isEmpty();
  }

  @Test
  void anUnsampledTraceStaysUnsampled() {
    TraceContext context = TraceContext.parse("00-" + TRACE + "-" + SPAN + "-00", "").orElseThrow();

    assertThat(context.sampled()).isFalse();
    assertThat(context.traceparent()).endsWith("-00");
  }

  @Test
  void refusesWhatVersion00Forbids() {
    assertThat(TraceContext.parse(null, "a=1")).isEmpty();
    assertThat(TraceContext.parse("", null)).isEmpty();
    // all-zero ids
    assertThat(TraceContext.parse("00-" + "0".repeat(32) + "-" + SPAN + "-01", null)).isEmpty();
    assertThat(TraceContext.parse("00-" + TRACE + "-" + "0".repeat(16) + "-01", null)).isEmpty();
    // upper case anywhere
    assertThat(TraceContext.parse("00-" + TRACE.toUpperCase() + "-" + SPAN + "-01", null))
        .isEmpty();
    assertThat(TraceContext.parse("00-" + TRACE + "-00F067AA0BA902B7-01", null)).isEmpty();
    assertThat(TraceContext.parse("0A-" + TRACE + "-" + SPAN + "-01", null)).isEmpty();
    assertThat(TraceContext.parse("00-" + TRACE + "-" + SPAN + "-0A", null)).isEmpty();
    // not hex
    assertThat(TraceContext.parse("00-" + TRACE.replace('f', 'g') + "-" + SPAN + "-01", null))
        .isEmpty();
    assertThat(TraceContext.parse("00-" + TRACE + "-" + SPAN + "-0x", null)).isEmpty();
    // wrong lengths and separators
    assertThat(TraceContext.parse(VALID.substring(0, 54), null)).isEmpty();
    assertThat(TraceContext.parse(VALID + "0", null)).isEmpty();
    assertThat(TraceContext.parse(VALID + "-", null)).isEmpty(); // version 00 has no more fields
    assertThat(TraceContext.parse("00-" + TRACE + "0-" + SPAN.substring(1) + "-01", null))
        .isEmpty();
    assertThat(TraceContext.parse("00_" + TRACE + "-" + SPAN + "-01", null)).isEmpty();
    assertThat(TraceContext.parse(" " + VALID, null)).isEmpty();
    // version ff is invalid
    assertThat(TraceContext.parse("ff-" + TRACE + "-" + SPAN + "-01", null)).isEmpty();
  }

  @Test
  void readsAHigherVersionByTheForwardCompatibilityRulesAndWritesVersion00() {
    String future = "cc-" + TRACE + "-" + SPAN + "-01";
    assertThat(TraceContext.parse(future, null).orElseThrow().traceparent()).isEqualTo(VALID);
    assertThat(TraceContext.parse(future + "-what-the-future-will-be-like", null))
        .map(TraceContext::traceparent)
        .contains(VALID);

    // after the flags: the end or a dash, nothing else
    assertThat(TraceContext.parse(future + ".more", null)).isEmpty();
    assertThat(TraceContext.parse(future + "0", null)).isEmpty();
    // shorter than 55: restart
    assertThat(TraceContext.parse("cc-" + TRACE + "-" + SPAN + "-", null)).isEmpty();
    // the known fields are still checked
    assertThat(TraceContext.parse("cc-" + TRACE.toUpperCase() + "-" + SPAN + "-01", null))
        .isEmpty();
    assertThat(TraceContext.parse("cc-" + "0".repeat(32) + "-" + SPAN + "-01", null)).isEmpty();
  }

  @Test
  void keepsOnlyTheFlagsItKnows() {
    // 0x09: sampled plus an undefined flag, which must not be sent on
    TraceContext context =
        TraceContext.parse("00-" + TRACE + "-" + SPAN + "-09", null).orElseThrow();
    assertThat(context.sampled()).isTrue();
    assertThat(context.traceparent()).endsWith("-01");

    TraceContext all = TraceContext.parse("00-" + TRACE + "-" + SPAN + "-ff", null).orElseThrow();
    assertThat(all.flags()).isEqualTo(TraceContext.SAMPLED | TraceContext.RANDOM);
    assertThat(all.traceparent()).endsWith("-03");
  }

  @Test
  void anInvalidTracestateIsDroppedAndTheTraceparentKept() {
    TraceContext context = TraceContext.parse(VALID, "Upper=1").orElseThrow();

    assertThat(context.traceparent()).isEqualTo(VALID);
    assertThat(context.traceState().isEmpty()).isTrue();
    assertThat(context.tracestate()).isEmpty();
  }

  @Test
  void carriesAValidTracestate() {
    TraceContext context =
        TraceContext.parse(VALID, "rojo=00f067aa0ba902b7, congo=t61rcWkgMzE").orElseThrow();

    assertThat(context.tracestate()).contains("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  }

  @Test
  void tracestateMembers() {
    assertThat(state("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"))
        .contains("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
    // optional whitespace around members, empty members, an empty header
    assertThat(state(" a=1 ,\t b=2\t,, ,c=3,")).contains("a=1,b=2,c=3");
    assertThat(state("")).contains("");
    assertThat(state(" , ,")).contains("");
    // a value keeps its leading spaces and printable characters but cannot hold , or =
    assertThat(state("a= x y")).contains("a= x y");
    assertThat(state("a=!\"#$%&'()*+-./:;<>?@[\\]^_`{|}~")).isPresent();
    assertThat(state("a=x=y")).isEmpty();
    assertThat(state("a=")).isEmpty();
    assertThat(state("a=\u00e9")).isEmpty();
    assertThat(state("a=x\ty")).isEmpty();
    assertThat(state("a=" + "v".repeat(256))).isPresent();
    assertThat(state("a=" + "v".repeat(257))).isEmpty();
    // keys: lower-case letter first, then letters, digits, _ - * /
    assertThat(state("a-b_c*d/e9=1")).isPresent();
    assertThat(state("A=1")).isEmpty();
    assertThat(state("1a=1")).isEmpty();
    assertThat(state("a b=1")).isEmpty();
    assertThat(state("=1")).isEmpty();
    assertThat(state("a")).isEmpty();
    assertThat(state("k" + "e".repeat(255) + "=1")).isPresent();
    assertThat(state("k" + "e".repeat(256) + "=1")).isEmpty();
    // multi-tenant keys: tenant (1-241, may start with a digit) @ system (1-14, a letter first)
    assertThat(state("1tenant@vendor=1")).isPresent();
    assertThat(state("t".repeat(241) + "@" + "s".repeat(14) + "=1")).isPresent();
    assertThat(state("t".repeat(242) + "@s=1")).isEmpty();
    assertThat(state("t@" + "s".repeat(15) + "=1")).isEmpty();
    assertThat(state("t@1s=1")).isEmpty();
    assertThat(state("@s=1")).isEmpty();
    assertThat(state("t@=1")).isEmpty();
    assertThat(state("t@s@x=1")).isEmpty();
  }

  @Test
  void tracestateHoldsAtMost32MembersAndEachKeyOnce() {
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < 32; i++) {
      list.append(i == 0 ? "" : ",").append("k").append(i).append("=v");
    }
    assertThat(state(list.toString())).isPresent();
    assertThat(state(list + ",,  ,")).isPresent(); // empty members do not count
    assertThat(state(list + ",k32=v")).isEmpty();

    assertThat(state("a=1,b=2,a=3")).isEmpty();
  }

  private static Optional<String> state(String header) {
    return TraceState.parse(header).map(TraceState::header);
  }
}
