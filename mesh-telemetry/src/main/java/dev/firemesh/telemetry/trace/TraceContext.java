package dev.firemesh.telemetry.trace;

import java.util.Objects;
import java.util.Optional;

/**
 * What W3C {@code traceparent} and {@code tracestate} carry: the trace, the span that sent the
 * request (the header's {@code parent-id}), the trace flags and the vendors' list.
 *
 * <p>Parsing follows W3C Trace Context Level 1: version {@code 00} is exactly 55 characters; a
 * higher version (not {@code ff}) is read by the forward-compatibility rules (at least 55
 * characters, the three known fields where version 00 has them, and after the flags either the end
 * or a dash) and formatted back as version 00; ids are lower-case hex and not all zero. Only the
 * flags this implementation knows survive a parse: {@link #SAMPLED} and {@link #RANDOM} (Level 2's
 * random trace id); the spec asks for unknown ones to be zero when sending. An invalid {@code
 * tracestate} is dropped and the {@code traceparent} kept; an invalid {@code traceparent} makes the
 * whole context absent, as the spec asks ({@code tracestate} is then not looked at).
 *
 * <p>Header values are taken as HTTP hands them over, with optional whitespace around the value
 * already stripped: a value with leading or trailing spaces is not valid here.
 */
public record TraceContext(TraceId traceId, SpanId spanId, int flags, TraceState traceState) {
  /** Trace flag: the caller may have recorded the trace, so downstream should too. */
  public static final int SAMPLED = 0x01;

  /** Trace flag (W3C Level 2): the trace id's low 7 bytes are random. */
  public static final int RANDOM = 0x02;

  static final int KNOWN_FLAGS = SAMPLED | RANDOM;

  /** The length of a version 00 {@code traceparent}. */
  static final int TRACEPARENT_LENGTH = 55;

  public TraceContext {
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(traceState, "traceState");
    if (spanId.isNone()) {
      throw new IllegalArgumentException("a traceparent's parent-id must not be all zero");
    }
    if ((flags & ~KNOWN_FLAGS) != 0) {
      throw new IllegalArgumentException(
          "trace flags other than sampled (01) and random (02) must be zero, got " + flags);
    }
  }

  /**
   * The context of a request carrying these headers, or empty when {@code traceparent} is absent or
   * invalid.
   *
   * @param traceparent the header's value; null or empty when the request has none
   * @param tracestate the header's value (several fields joined with commas); null or empty when
   *     the request has none
   */
  public static Optional<TraceContext> parse(String traceparent, String tracestate) {
    if (traceparent == null) {
      return Optional.empty();
    }
    int length = traceparent.length();
    if (length < TRACEPARENT_LENGTH
        || !Base16.isLowerHex(traceparent, 0, 2)
        || traceparent.charAt(2) != '-') {
      return Optional.empty();
    }
    int version = (int) Base16.parse(traceparent, 0, 2);
    if (version == 0xff) {
      return Optional.empty();
    }
    if (version == 0 && length != TRACEPARENT_LENGTH) {
      return Optional.empty();
    }
    if (length > TRACEPARENT_LENGTH && traceparent.charAt(TRACEPARENT_LENGTH) != '-') {
      return Optional.empty(); // a higher version's flags must be followed by the end or a dash
    }
    if (!Base16.isLowerHex(traceparent, 3, 32)
        || traceparent.charAt(35) != '-'
        || !Base16.isLowerHex(traceparent, 36, 16)
        || traceparent.charAt(52) != '-'
        || !Base16.isLowerHex(traceparent, 53, 2)) {
      return Optional.empty();
    }
    long high = Base16.parse(traceparent, 3, 16);
    long low = Base16.parse(traceparent, 19, 16);
    long span = Base16.parse(traceparent, 36, 16);
    if ((high == 0 && low == 0) || span == 0) {
      return Optional.empty();
    }
    int flags = (int) Base16.parse(traceparent, 53, 2) & KNOWN_FLAGS;
    TraceState state =
        tracestate == null
            ? TraceState.EMPTY
            : TraceState.parse(tracestate).orElse(TraceState.EMPTY);
    return Optional.of(new TraceContext(new TraceId(high, low), new SpanId(span), flags, state));
  }

  public boolean sampled() {
    return (flags & SAMPLED) != 0;
  }

  /** The {@code traceparent} value, version 00. */
  public String traceparent() {
    return traceparent(traceId, spanId, flags);
  }

  /** The {@code tracestate} value, or empty when the list is (send no header then). */
  public Optional<String> tracestate() {
    return traceState.isEmpty() ? Optional.empty() : Optional.of(traceState.header());
  }

  static String traceparent(TraceId traceId, SpanId spanId, int flags) {
    char[] out = new char[TRACEPARENT_LENGTH];
    out[0] = '0';
    out[1] = '0';
    out[2] = '-';
    Base16.write(traceId.high(), out, 3);
    Base16.write(traceId.low(), out, 19);
    out[35] = '-';
    Base16.write(spanId.value(), out, 36);
    out[52] = '-';
    Base16.writeByte(flags, out, 53);
    return new String(out);
  }
}
