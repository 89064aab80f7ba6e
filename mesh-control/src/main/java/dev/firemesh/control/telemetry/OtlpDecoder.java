package dev.firemesh.control.telemetry;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an OTLP trace export ({@code ExportTraceServiceRequest}) in either encoding: binary
 * protobuf, or OTLP's JSON (lower camel case field names, or snake case; trace and span ids as hex;
 * enums as numbers or names; 64-bit integers as strings or numbers). Both become the same message,
 * checked span by span in one place.
 *
 * <p>The bytes come from the network: a body that is not the message at all is a {@link
 * MalformedTelemetryException} (answered 400); a span that is wrong alone (bad ids, times) is
 * rejected and counted, and the others kept, as OTLP's partial success says. Nothing else is
 * thrown. Kept per span: at most {@value #MAX_ATTRIBUTES} attributes, text up to {@value #MAX_TEXT}
 * characters, values nested {@value #MAX_DEPTH} deep.
 */
public final class OtlpDecoder {
  static final int MAX_ATTRIBUTES = 128;
  static final int MAX_TEXT = 4096;
  static final int MAX_DEPTH = 8;

  /** Problems quoted in the answer's message; the rest are only counted. */
  static final int PROBLEMS_QUOTED = 3;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();
  private static final String UNKNOWN_SERVICE = "unknown_service";

  /** The spans that passed, how many did not, and why (the first few). */
  public record Decoded(List<TraceSpan> spans, int rejected, List<String> problems) {
    public Decoded {
      spans = List.copyOf(spans);
      problems = List.copyOf(problems);
    }
  }

  private OtlpDecoder() {}

  public static Decoded fromProtobuf(byte[] body) {
    ExportTraceServiceRequest request;
    try {
      CodedInputStream in = CodedInputStream.newInstance(body);
      request = ExportTraceServiceRequest.parseFrom(in);
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedTelemetryException(
          "the body is not an OTLP ExportTraceServiceRequest in protobuf: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new MalformedTelemetryException(
          "the body is not an OTLP ExportTraceServiceRequest in protobuf: " + e, e);
    }
    return check(request);
  }

  public static Decoded fromJson(byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JacksonException e) {
      throw new MalformedTelemetryException("the body is not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new MalformedTelemetryException("the body is not JSON: " + e, e);
    }
    if (root == null || !root.isObject()) {
      throw new MalformedTelemetryException(
          "an OTLP JSON export is an object with \"resourceSpans\"");
    }
    return check(new JsonReader().request(root));
  }

  private static Decoded check(ExportTraceServiceRequest request) {
    List<TraceSpan> spans = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int rejected = 0;
    for (int r = 0; r < request.getResourceSpansCount(); r++) {
      ResourceSpans resource = request.getResourceSpans(r);
      String service = service(resource.getResource());
      for (int s = 0; s < resource.getScopeSpansCount(); s++) {
        ScopeSpans scope = resource.getScopeSpans(s);
        for (int i = 0; i < scope.getSpansCount(); i++) {
          Span span = scope.getSpans(i);
          String problem = problem(span);
          if (problem != null) {
            rejected++;
            if (problems.size() < PROBLEMS_QUOTED) {
              problems.add(
                  "resourceSpans[" + r + "].scopeSpans[" + s + "].spans[" + i + "]: " + problem);
            }
            continue;
          }
          spans.add(span(span, service));
        }
      }
    }
    return new Decoded(spans, rejected, problems);
  }

  private static String problem(Span span) {
    if (span.getTraceId().size() != 16 || allZero(span.getTraceId())) {
      return "trace id must be 16 bytes (32 hex digits in JSON), not all zero; got "
          + span.getTraceId().size()
          + " bytes";
    }
    if (span.getSpanId().size() != 8 || allZero(span.getSpanId())) {
      return "span id must be 8 bytes (16 hex digits in JSON), not all zero; got "
          + span.getSpanId().size()
          + " bytes";
    }
    if (!span.getParentSpanId().isEmpty() && span.getParentSpanId().size() != 8) {
      return "parent span id must be empty or 8 bytes; got "
          + span.getParentSpanId().size()
          + " bytes";
    }
    if (span.getStartTimeUnixNano() == 0) {
      return "start time missing (startTimeUnixNano)";
    }
    // Unsigned on the wire; a time past 2262 would be negative here.
    if (span.getStartTimeUnixNano() < 0
        || span.getEndTimeUnixNano() < 0
        || Long.compareUnsigned(span.getEndTimeUnixNano(), span.getStartTimeUnixNano()) < 0) {
      return "end time must not be before the start time";
    }
    return null;
  }

  private static TraceSpan span(Span span, String service) {
    String parent =
        span.getParentSpanId().isEmpty() || allZero(span.getParentSpanId())
            ? ""
            : HEX.formatHex(span.getParentSpanId().toByteArray());
    return new TraceSpan(
        HEX.formatHex(span.getTraceId().toByteArray()),
        HEX.formatHex(span.getSpanId().toByteArray()),
        parent,
        service,
        cut(span.getName()),
        kind(span.getKindValue()),
        span.getStartTimeUnixNano(),
        span.getEndTimeUnixNano(),
        status(span.getStatus().getCodeValue()),
        cut(span.getStatus().getMessage()),
        attributes(span.getAttributesList(), 0));
  }

  private static String service(Resource resource) {
    for (KeyValue kv : resource.getAttributesList()) {
      if (kv.getKey().equals("service.name") && kv.getValue().hasStringValue()) {
        String name = kv.getValue().getStringValue();
        if (!name.isBlank()) {
          return cut(name);
        }
      }
    }
    return UNKNOWN_SERVICE;
  }

  private static String kind(int kind) {
    return switch (kind) {
      case 1 -> "internal";
      case 2 -> "server";
      case 3 -> "client";
      case 4 -> "producer";
      case 5 -> "consumer";
      default -> "unspecified";
    };
  }

  private static String status(int code) {
    return switch (code) {
      case 1 -> "ok";
      case 2 -> "error";
      default -> "unset";
    };
  }

  private static Map<String, Object> attributes(List<KeyValue> list, int depth) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (KeyValue kv : list) {
      if (out.size() == MAX_ATTRIBUTES) {
        break;
      }
      out.put(cut(kv.getKey()), value(kv.getValue(), depth + 1));
    }
    return out;
  }

  private static Object value(AnyValue v, int depth) {
    if (depth > MAX_DEPTH) {
      return "(nested too deep)";
    }
    return switch (v.getValueCase()) {
      case STRING_VALUE -> cut(v.getStringValue());
      case BOOL_VALUE -> v.getBoolValue();
      case INT_VALUE -> v.getIntValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case BYTES_VALUE -> cut(Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
      case ARRAY_VALUE -> {
        List<Object> values = new ArrayList<>();
        for (AnyValue item : v.getArrayValue().getValuesList()) {
          if (values.size() == MAX_ATTRIBUTES) {
            break;
          }
          values.add(value(item, depth + 1));
        }
        yield values;
      }
      case KVLIST_VALUE -> attributes(v.getKvlistValue().getValuesList(), depth);
      default -> "";
    };
  }

  private static boolean allZero(ByteString bytes) {
    for (int i = 0; i < bytes.size(); i++) {
      if (bytes.byteAt(i) != 0) {
        return false;
      }
    }
    return true;
  }

  private static String cut(String s) {
    return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT);
  }

  /**
   * OTLP JSON to the protobuf message. Structure must be right (objects and arrays where the schema
   * has them), else the whole body is malformed; a field of a single span that cannot be read (an
   * id that is not hex, a time that is not a number) is left unset, so the span is rejected by the
   * same check as a binary one.
   */
  private static final class JsonReader {
    ExportTraceServiceRequest request(JsonNode root) {
      ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
      for (JsonNode rs : array(root, "resourceSpans", "resource_spans")) {
        ResourceSpans.Builder resource = ResourceSpans.newBuilder();
        JsonNode res = object(rs, "resource", "resource");
        resource.setResource(
            Resource.newBuilder().addAllAttributes(keyValues(res, "attributes", 0)));
        for (JsonNode ss : array(rs, "scopeSpans", "scope_spans")) {
          ScopeSpans.Builder scope = ScopeSpans.newBuilder();
          for (JsonNode sp : array(ss, "spans", "spans")) {
            if (!sp.isObject()) {
              throw new MalformedTelemetryException("a span must be a JSON object, got " + sp);
            }
            scope.addSpans(span(sp));
          }
          resource.addScopeSpans(scope);
        }
        request.addResourceSpans(resource);
      }
      return request.build();
    }

    private Span span(JsonNode sp) {
      Span.Builder span =
          Span.newBuilder()
              .setTraceId(id(field(sp, "traceId", "trace_id")))
              .setSpanId(id(field(sp, "spanId", "span_id")))
              .setParentSpanId(id(field(sp, "parentSpanId", "parent_span_id")))
              .setName(field(sp, "name", "name").asText(""))
              .setKindValue(enumValue(field(sp, "kind", "kind"), "SPAN_KIND_", KINDS))
              .setStartTimeUnixNano(nanos(field(sp, "startTimeUnixNano", "start_time_unix_nano")))
              .setEndTimeUnixNano(nanos(field(sp, "endTimeUnixNano", "end_time_unix_nano")))
              .addAllAttributes(keyValues(sp, "attributes", 0));
      JsonNode status = field(sp, "status", "status");
      if (status.isObject()) {
        span.setStatus(
            Status.newBuilder()
                .setCodeValue(enumValue(field(status, "code", "code"), "STATUS_CODE_", CODES))
                .setMessage(field(status, "message", "message").asText("")));
      }
      return span.build();
    }

    private static final List<String> KINDS =
        List.of("UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER");
    private static final List<String> CODES = List.of("UNSET", "OK", "ERROR");

    private List<KeyValue> keyValues(JsonNode parent, String name, int depth) {
      List<KeyValue> out = new ArrayList<>();
      if (depth > MAX_DEPTH) {
        return out;
      }
      for (JsonNode kv : array(parent, name, name)) {
        if (!kv.isObject() || !kv.path("key").isTextual()) {
          continue; // an attribute without a key is dropped, not the span
        }
        out.add(
            KeyValue.newBuilder()
                .setKey(kv.get("key").asText())
                .setValue(anyValue(kv.path("value"), depth + 1))
                .build());
      }
      return out;
    }

    private AnyValue anyValue(JsonNode v, int depth) {
      AnyValue.Builder out = AnyValue.newBuilder();
      if (!v.isObject() || depth > MAX_DEPTH) {
        return out.build();
      }
      JsonNode x;
      if ((x = field(v, "stringValue", "string_value")).isValueNode() && !x.isNull()) {
        out.setStringValue(x.asText());
      } else if ((x = field(v, "boolValue", "bool_value")).isBoolean()) {
        out.setBoolValue(x.booleanValue());
      } else if ((x = field(v, "intValue", "int_value")).isValueNode() && !x.isNull()) {
        Long n = integer(x);
        if (n != null) {
          out.setIntValue(n);
        }
      } else if ((x = field(v, "doubleValue", "double_value")).isNumber()) {
        out.setDoubleValue(x.doubleValue());
      } else if ((x = field(v, "arrayValue", "array_value")).isObject()) {
        ArrayValue.Builder array = ArrayValue.newBuilder();
        for (JsonNode item : array(x, "values", "values")) {
          array.addValues(anyValue(item, depth + 1));
        }
        out.setArrayValue(array);
      } else if ((x = field(v, "kvlistValue", "kvlist_value")).isObject()) {
        out.setKvlistValue(KeyValueList.newBuilder().addAllValues(keyValues(x, "values", depth)));
      } else if ((x = field(v, "bytesValue", "bytes_value")).isTextual()) {
        try {
          out.setBytesValue(ByteString.copyFrom(Base64.getDecoder().decode(x.asText())));
        } catch (IllegalArgumentException e) {
          out.setStringValue(x.asText());
        }
      }
      return out.build();
    }

    /** The array at either name; absent is empty; anything else is malformed. */
    private static Iterable<JsonNode> array(JsonNode parent, String name, String snake) {
      JsonNode node = field(parent, name, snake);
      if (node.isMissingNode() || node.isNull()) {
        return List.of();
      }
      if (!node.isArray()) {
        throw new MalformedTelemetryException(
            "\"" + name + "\" must be a JSON array, got " + node.getNodeType());
      }
      return node;
    }

    private static JsonNode object(JsonNode parent, String name, String snake) {
      JsonNode node = field(parent, name, snake);
      if (!node.isMissingNode() && !node.isNull() && !node.isObject()) {
        throw new MalformedTelemetryException(
            "\"" + name + "\" must be a JSON object, got " + node.getNodeType());
      }
      return node;
    }

    private static JsonNode field(JsonNode parent, String name, String snake) {
      JsonNode node = parent.path(name);
      return node.isMissingNode() ? parent.path(snake) : node;
    }

    private static ByteString id(JsonNode node) {
      if (!node.isTextual()) {
        return ByteString.EMPTY;
      }
      String text = node.asText();
      if (text.length() > 64 || text.length() % 2 != 0) {
        return ByteString.EMPTY;
      }
      try {
        return ByteString.copyFrom(HEX.parseHex(text.toLowerCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        return ByteString.EMPTY;
      }
    }

    private static long nanos(JsonNode node) {
      Long n = integer(node);
      return n == null ? 0 : n;
    }

    /** A 64-bit integer written as a number or a string, or null. */
    private static Long integer(JsonNode node) {
      if (node.isIntegralNumber() && node.canConvertToLong()) {
        return node.longValue();
      }
      if (node.isTextual() && node.asText().length() <= 20) {
        try {
          return Long.parseUnsignedLong(node.asText());
        } catch (NumberFormatException e) {
          try {
            return Long.parseLong(node.asText());
          } catch (NumberFormatException again) {
            return null;
          }
        }
      }
      return null;
    }

    private static int enumValue(JsonNode node, String prefix, List<String> names) {
      if (node.isInt()) {
        return node.intValue();
      }
      if (node.isTextual()) {
        String name = node.asText();
        int i = names.indexOf(name.startsWith(prefix) ? name.substring(prefix.length()) : name);
        return Math.max(i, 0);
      }
      return 0;
    }
  }
}
