package dev.firemesh.chassis.telemetry;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * One JSON object per log line: {@code ts} (UTC, microseconds), {@code level}, {@code logger},
 * {@code thread}, {@code message}, {@code service}, {@code instance}, {@code trace_id} and {@code
 * span_id} when the line was written while serving a request, the rest of the log context, and
 * {@code error} with the stack trace when there is one. The trace ids join a log line to the trace
 * explorer's spans.
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {
  private static final JsonFactory JSON = new JsonFactory();
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final byte[] NOTHING = new byte[0];

  private String service = "";
  private String instance = "";

  public void setService(String service) {
    this.service = service;
  }

  public void setInstance(String instance) {
    this.instance = instance;
  }

  @Override
  public byte[] headerBytes() {
    return NOTHING;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      Instant at = event.getInstant();
      json.writeStringField("ts", TIME.format(at));
      json.writeStringField("level", event.getLevel().toString());
      json.writeStringField("logger", event.getLoggerName());
      json.writeStringField("thread", event.getThreadName());
      json.writeStringField("message", event.getFormattedMessage());
      if (!service.isEmpty()) {
        json.writeStringField("service", service);
      }
      if (!instance.isEmpty()) {
        json.writeStringField("instance", instance);
      }
      Map<String, String> context = event.getMDCPropertyMap();
      if (context != null) {
        for (Map.Entry<String, String> entry : context.entrySet()) {
          json.writeStringField(entry.getKey(), entry.getValue());
        }
      }
      IThrowableProxy error = event.getThrowableProxy();
      if (error != null) {
        json.writeStringField("error", ThrowableProxyUtil.asString(error));
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  @Override
  public byte[] footerBytes() {
    return NOTHING;
  }
}
