package dev.firemesh.telemetry.otlp;

import com.google.protobuf.ByteString;
import dev.firemesh.telemetry.trace.Attributes;
import dev.firemesh.telemetry.trace.Resource;
import dev.firemesh.telemetry.trace.Span;
import dev.firemesh.telemetry.trace.SpanKind;
import dev.firemesh.telemetry.trace.SpanStatus;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.SpanFlags;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Spans as OTLP's {@code ExportTraceServiceRequest}: one {@code ResourceSpans} per resource, one
 * {@code ScopeSpans} under the scope {@value #SCOPE_NAME}; ids as their bytes (a root's parent
 * empty), kind SERVER or CLIENT, status code and message, times in Unix nanoseconds, the W3C trace
 * flags in {@code flags} with "parent is remote" known (a hop's parent is always in another
 * process).
 */
public final class OtlpTraceEncoding {
  /** The instrumentation scope every FireMesh span is reported under. */
  public static final String SCOPE_NAME = "dev.firemesh";

  private static final InstrumentationScope SCOPE =
      InstrumentationScope.newBuilder().setName(SCOPE_NAME).build();

  private OtlpTraceEncoding() {}

  /** A request with the spans of one resource. */
  public static ExportTraceServiceRequest encode(Resource resource, Collection<Span> spans) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(resourceSpans(resource, spans))
        .build();
  }

  /** A request with the spans of several resources, grouped by resource. */
  public static ExportTraceServiceRequest encode(
      Map<Resource, ? extends Collection<Span>> spansByResource) {
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    spansByResource.forEach(
        (resource, spans) -> {
          if (!spans.isEmpty()) {
            request.addResourceSpans(resourceSpans(resource, spans));
          }
        });
    return request.build();
  }

  static ResourceSpans resourceSpans(Resource resource, Collection<Span> spans) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder().setScope(SCOPE);
    for (Span span : spans) {
      scope.addSpans(span(span));
    }
    return ResourceSpans.newBuilder()
        .setResource(
            io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                .addAllAttributes(keyValues(resource.attributes())))
        .addScopeSpans(scope)
        .build();
  }

  /** One span as OTLP's message. */
  public static io.opentelemetry.proto.trace.v1.Span span(Span span) {
    int flags =
        (span.flags() & SpanFlags.SPAN_FLAGS_TRACE_FLAGS_MASK_VALUE)
            | SpanFlags.SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK_VALUE
            | (span.isRoot() ? 0 : SpanFlags.SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK_VALUE);
    return io.opentelemetry.proto.trace.v1.Span.newBuilder()
        .setTraceId(ByteString.copyFrom(span.traceId().bytes()))
        .setSpanId(ByteString.copyFrom(span.spanId().bytes()))
        .setParentSpanId(ByteString.copyFrom(span.parentSpanId().bytes()))
        .setTraceState(span.traceState())
        .setFlags(flags)
        .setName(span.name())
        .setKind(kind(span.kind()))
        .setStartTimeUnixNano(span.startEpochNanos())
        .setEndTimeUnixNano(span.endEpochNanos())
        .addAllAttributes(keyValues(span.attributes()))
        .setStatus(status(span.status()))
        .build();
  }

  private static io.opentelemetry.proto.trace.v1.Span.SpanKind kind(SpanKind kind) {
    return switch (kind) {
      case SERVER -> io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER;
      case CLIENT -> io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT;
    };
  }

  private static Status status(SpanStatus status) {
    Status.StatusCode code =
        switch (status.code()) {
          case UNSET -> Status.StatusCode.STATUS_CODE_UNSET;
          case OK -> Status.StatusCode.STATUS_CODE_OK;
          case ERROR -> Status.StatusCode.STATUS_CODE_ERROR;
        };
    return Status.newBuilder().setCode(code).setMessage(status.message()).build();
  }

  static List<KeyValue> keyValues(Attributes attributes) {
    List<KeyValue> out = new ArrayList<>(attributes.size());
    for (int i = 0; i < attributes.size(); i++) {
      out.add(
          KeyValue.newBuilder()
              .setKey(attributes.key(i))
              .setValue(value(attributes.value(i)))
              .build());
    }
    return out;
  }

  private static AnyValue value(Object value) {
    return switch (value) {
      case String s -> AnyValue.newBuilder().setStringValue(s).build();
      case Long l -> AnyValue.newBuilder().setIntValue(l).build();
      case Boolean b -> AnyValue.newBuilder().setBoolValue(b).build();
      case Double d -> AnyValue.newBuilder().setDoubleValue(d).build();
      default -> throw new IllegalStateException("an attribute value of type " + value.getClass());
    };
  }
}
