package dev.firemesh.examples.trading.plumbing;

import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * gRPC messages as JSON (UTF-8) instead of protobuf: the samples' gRPC APIs are written by hand,
 * with no generated code, and a person can read the frames ({@code curl --http2-prior-knowledge}
 * shows them). The records must be plain Jackson-mappable records.
 */
public final class JsonMarshaller<T> implements MethodDescriptor.Marshaller<T> {
  private final Class<T> type;

  public JsonMarshaller(Class<T> type) {
    this.type = type;
  }

  @Override
  public InputStream stream(T value) {
    try {
      // A newline after each message: a stream read with curl then has one message per line.
      byte[] json = Json.MAPPER.writeValueAsBytes(value);
      byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
      line[json.length] = '\n';
      return new ByteArrayInputStream(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public T parse(InputStream stream) {
    try (stream) {
      byte[] bytes = stream.readAllBytes();
      return Json.MAPPER.readValue(bytes.length == 0 ? "{}".getBytes() : bytes, type);
    } catch (IOException e) {
      throw io.grpc.Status.INTERNAL
          .withDescription("not a " + type.getSimpleName() + " in JSON: " + e.getMessage())
          .asRuntimeException();
    }
  }
}
