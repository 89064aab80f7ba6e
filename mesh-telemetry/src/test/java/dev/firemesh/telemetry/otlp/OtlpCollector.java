package dev.firemesh.telemetry.otlp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OTLP/HTTP trace receiver on loopback for tests: decodes every request it gets and answers from
 * a script (200 once the script runs out).
 */
final class OtlpCollector implements AutoCloseable {
  /** One request as received. */
  record Received(
      String method,
      String path,
      String contentType,
      long atNanos,
      byte[] body,
      ExportTraceServiceRequest request) {
    List<Span> spans() {
      List<Span> spans = new ArrayList<>();
      request
          .getResourceSpansList()
          .forEach(r -> r.getScopeSpansList().forEach(s -> spans.addAll(s.getSpansList())));
      return spans;
    }
  }

  /** What to answer: a status, headers, a body; or hang up without answering. */
  record Answer(int status, Map<String, String> headers, byte[] body, boolean hangUp) {
    static Answer status(int status) {
      return new Answer(status, Map.of(), new byte[0], false);
    }

    static Answer status(int status, String header, String value) {
      return new Answer(status, Map.of(header, value), new byte[0], false);
    }

    static Answer body(byte[] body) {
      return new Answer(200, Map.of("Content-Type", "application/x-protobuf"), body, false);
    }

    static Answer noAnswer() {
      return new Answer(0, Map.of(), new byte[0], true);
    }
  }

  private final HttpServer server;
  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  final List<Received> received = new CopyOnWriteArrayList<>();

  OtlpCollector(Answer... answers) throws IOException {
    script.addAll(List.of(answers));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  List<Span> spans() {
    List<Span> spans = new ArrayList<>();
    received.forEach(r -> spans.addAll(r.spans()));
    return spans;
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    received.add(
        new Received(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            exchange.getRequestHeaders().getFirst("Content-Type"),
            System.nanoTime(),
            body,
            ExportTraceServiceRequest.parseFrom(body)));
    Answer answer = script.poll();
    if (answer == null) {
      answer = Answer.status(200);
    }
    if (answer.hangUp()) {
      // No response: the JDK server closes the connection, which the client sees as an IOException.
      exchange.close();
      return;
    }
    answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.sendResponseHeaders(
        answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(answer.body());
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
