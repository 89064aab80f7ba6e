package dev.firemesh.proxy.telemetry;

import java.time.LocalDate;
import java.util.List;

/**
 * One access log line per {@link ExchangeRecord}, as JSON (one object, the chosen {@link #FIELDS}
 * in their order) or as text for people. Runs on the event loop: it only builds a string, in a
 * builder each thread reuses; encoding and writing happen on the log's writer thread.
 *
 * <p>JSON strings escape {@code "} and {@code \}, and write every character outside printable ASCII
 * as {@code \}{@code uXXXX}, so whatever bytes a caller puts in a path or header, the line is one
 * line of valid JSON (in ASCII) that parses back to exactly the string the sidecar saw. Absent
 * values are {@code null}.
 */
public final class AccessLogFormat {

  /** How lines look. */
  public enum Style {
    /** One JSON object per line. */
    JSON,
    /** One line for people: time, edge, request line, status, flags, bytes, timings, ids. */
    TEXT
  }

  /** The JSON fields, in the order they are written. */
  public static final List<String> FIELDS =
      List.of(
          "time",
          "trace_id",
          "span_id",
          "request_id",
          "direction",
          "source",
          "destination",
          "route",
          "cluster",
          "caller",
          "method",
          "path",
          "authority",
          "protocol",
          "status",
          "grpc_status",
          "flags",
          "upstream",
          "attempts",
          "request_bytes",
          "response_bytes",
          "request_sent_us",
          "upstream_headers_us",
          "response_transfer_us",
          "duration_us");

  private static final ThreadLocal<StringBuilder> BUILDERS =
      ThreadLocal.withInitial(() -> new StringBuilder(512));

  /** A line kept this long has its builder dropped rather than kept at that size. */
  private static final int MAX_KEPT_CAPACITY = 16 * 1024;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final Style style;
  private final boolean[] wanted = new boolean[FIELDS.size()];

  public AccessLogFormat(Style style, List<String> fields) {
    this.style = style;
    for (String field : fields) {
      int index = FIELDS.indexOf(field);
      if (index < 0) {
        throw new IllegalArgumentException("unknown access log field: " + field);
      }
      wanted[index] = true;
    }
  }

  public static AccessLogFormat of(AccessLogSettings settings) {
    return new AccessLogFormat(settings.style(), settings.fields());
  }

  /** The line for {@code record}, ending in {@code \n}. */
  public String line(ExchangeRecord record) {
    StringBuilder out = BUILDERS.get();
    out.setLength(0);
    if (style == Style.JSON) {
      json(record, out);
    } else {
      text(record, out);
    }
    out.append('\n');
    String line = out.toString();
    if (out.capacity() > MAX_KEPT_CAPACITY) {
      BUILDERS.remove(); // one huge path must not pin its buffer to the thread for good
    }
    return line;
  }

  private void json(ExchangeRecord r, StringBuilder out) {
    out.append('{');
    int written = 0;
    for (int i = 0; i < FIELDS.size(); i++) {
      if (!wanted[i]) {
        continue;
      }
      if (written++ > 0) {
        out.append(',');
      }
      out.append('"').append(FIELDS.get(i)).append("\":");
      switch (i) {
        case 0 -> {
          out.append('"');
          time(r.startMicros(), out);
          out.append('"');
        }
        case 1 -> string(r.traceId(), out);
        case 2 -> string(r.spanId(), out);
        case 3 -> string(r.requestId(), out);
        case 4 -> string(r.direction().label(), out);
        case 5 -> string(r.source(), out);
        case 6 -> string(r.destination(), out);
        case 7 -> string(r.route(), out);
        case 8 -> string(r.cluster(), out);
        case 9 -> string(r.callerIdentity(), out);
        case 10 -> string(r.method(), out);
        case 11 -> string(r.path(), out);
        case 12 -> string(r.authority(), out);
        case 13 -> string(r.protocol().label(), out);
        case 14 -> number(r.status() == 0 ? -1 : r.status(), out);
        case 15 -> string(r.grpcStatus() < 0 ? "" : r.grpcCode(), out);
        case 16 -> string(r.flag() == ResponseFlag.NONE ? "" : r.flag().code(), out);
        case 17 -> string(r.upstreamHost(), out);
        case 18 -> out.append(r.attempts());
        case 19 -> out.append(r.requestBytes());
        case 20 -> out.append(r.responseBytes());
        case 21 -> number(r.requestSentMicros(), out);
        case 22 -> number(r.upstreamHeadersMicros(), out);
        case 23 -> number(r.responseTransferMicros(), out);
        case 24 -> out.append(r.totalMicros());
        default -> throw new IllegalStateException("no writer for field " + FIELDS.get(i));
      }
    }
    out.append('}');
  }

  /**
   * {@code 2026-11-26T10:15:30.123456Z outbound gateway->orders route=canary "GET /who HTTP/1.1"
   * 200 grpc=- flags=- upstream=10.0.0.7:15006 bytes=0/9 us=1234 (sent=80 upstream=1100
   * transfer=54) attempts=1 caller=- request_id=... trace_id=...}
   */
  private static void text(ExchangeRecord r, StringBuilder out) {
    time(r.startMicros(), out);
    out.append(' ').append(r.direction().label()).append(' ');
    printable(r.source(), out);
    out.append("->");
    printable(r.destination(), out);
    out.append(" route=");
    printable(r.route(), out);
    out.append(" \"");
    printable(r.method(), out);
    out.append(' ');
    printable(r.path(), out);
    out.append(' ').append(r.protocol().label()).append("\" ");
    if (r.status() == 0) {
      out.append('-');
    } else {
      out.append(r.status());
    }
    out.append(" grpc=").append(r.grpcStatus() < 0 ? "-" : r.grpcCode());
    out.append(" flags=").append(r.flag().code());
    out.append(" upstream=");
    orDash(r.upstreamHost(), out);
    out.append(" bytes=").append(r.requestBytes()).append('/').append(r.responseBytes());
    out.append(" us=").append(r.totalMicros());
    out.append(" (sent=");
    micros(r.requestSentMicros(), out);
    out.append(" upstream=");
    micros(r.upstreamHeadersMicros(), out);
    out.append(" transfer=");
    micros(r.responseTransferMicros(), out);
    out.append(") attempts=").append(r.attempts());
    out.append(" caller=");
    orDash(r.callerIdentity(), out);
    out.append(" request_id=");
    orDash(r.requestId(), out);
    out.append(" trace_id=");
    orDash(r.traceId(), out);
  }

  private static void micros(long value, StringBuilder out) {
    if (value < 0) {
      out.append('-');
    } else {
      out.append(value);
    }
  }

  private static void orDash(String value, StringBuilder out) {
    if (value.isEmpty()) {
      out.append('-');
    } else {
      printable(value, out);
    }
  }

  /**
   * For the text style: what a caller wrote, on one line, control and non-ASCII as {@code \xNN}.
   */
  private static void printable(String value, StringBuilder out) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        out.append(c);
      } else if (c <= 0xff) {
        out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
      } else {
        out.append("\\u");
        JsonString.hex4(c, out);
      }
    }
  }

  private static void number(long value, StringBuilder out) {
    if (value < 0) {
      out.append("null");
    } else {
      out.append(value);
    }
  }

  /** A JSON string; empty is {@code null}. */
  static void string(String value, StringBuilder out) {
    if (value.isEmpty()) {
      out.append("null");
      return;
    }
    JsonString.append(value, out);
  }

  /** RFC 3339 in UTC with microseconds: {@code 2026-11-26T10:15:30.123456Z}. */
  static void time(long epochMicros, StringBuilder out) {
    long seconds = Math.floorDiv(epochMicros, 1_000_000L);
    int micros = (int) Math.floorMod(epochMicros, 1_000_000L);
    long days = Math.floorDiv(seconds, 86_400L);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    LocalDate date = LocalDate.ofEpochDay(days);
    pad(date.getYear(), 4, out);
    out.append('-');
    pad(date.getMonthValue(), 2, out);
    out.append('-');
    pad(date.getDayOfMonth(), 2, out);
    out.append('T');
    pad(secondOfDay / 3600, 2, out);
    out.append(':');
    pad(secondOfDay / 60 % 60, 2, out);
    out.append(':');
    pad(secondOfDay % 60, 2, out);
    out.append('.');
    pad(micros, 6, out);
    out.append('Z');
  }

  private static void pad(int value, int digits, StringBuilder out) {
    int length = out.length();
    out.append(value);
    int missing = digits - (out.length() - length);
    for (int i = 0; i < missing; i++) {
      out.insert(length, '0');
    }
  }
}
