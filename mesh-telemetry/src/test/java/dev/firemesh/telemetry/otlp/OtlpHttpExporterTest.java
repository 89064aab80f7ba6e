package dev.firemesh.telemetry.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firemesh.telemetry.otlp.OtlpCollector.Answer;
import dev.firemesh.telemetry.trace.Span;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The exporter against real HTTP servers on loopback: what arrives decodes to what was offered,
 * batches are bounded, retries follow the endpoint's answers, and nothing the endpoint does makes
 * {@code offer} wait.
 */
@Timeout(60)
class OtlpHttpExporterTest {
  private static final RetryPolicy QUICK_RETRY =
      new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofSeconds(5));

  @Test
  void postsProtobufToV1TracesThatDecodesToTheOfferedSpans() throws Exception {
    try (OtlpCollector collector = new OtlpCollector();
        OtlpHttpExporter exporter =
            OtlpHttpExporter.builder(Spans.ORDERS)
                .endpoint(collector.endpoint())
                .maxDelay(Duration.ofMillis(50))
                .build()) {
      List<Span> offered = List.of(Spans.inbound("/a"), Spans.inbound("/b"), Spans.inbound("/c"));
      offered.forEach(span -> assertThat(exporter.offer(span)).isTrue());

      await().until(() -> collector.spans().size() == 3);

      OtlpCollector.Received first = collector.received.getFirst();
      assertThat(first.method()).isEqualTo("POST");
      assertThat(first.path()).isEqualTo("/v1/traces");
      assertThat(first.contentType()).isEqualTo("application/x-protobuf");
      assertThat(collector.spans())
          .extracting(s -> HexFormat.of().formatHex(s.getSpanId().toByteArray()))
          .containsExactlyElementsOf(offered.stream().map(s -> s.spanId().hex()).toList());
      assertThat(
              OtlpTraceEncodingTest.attributes(
                  first.request().getResourceSpans(0).getResource().getAttributesList()))
          .containsEntry("service.name", "orders");
      await().until(() -> exporter.totals().exported() == 3);
      assertThat(exporter.totals()).isEqualTo(new ExportCounts(3, 0, 0, 0));
    }
  }

  @Test
  void sendsFullBatchesAtOnceAndTheRestWhenClosed() throws Exception {
    try (OtlpCollector collector = new OtlpCollector()) {
      OtlpHttpExporter exporter =
          OtlpHttpExporter.builder(Spans.ORDERS)
              .endpoint(collector.endpoint())
              .maxBatchSize(10)
              .queueCapacity(100)
              .maxDelay(Duration.ofHours(1)) // only a full batch or close sends
              .build();
      for (int i = 0; i < 25; i++) {
        exporter.offer(Spans.inbound("/" + i));
      }

      await().until(() -> collector.received.size() == 2);
      assertThat(exporter.totals().pending()).isEqualTo(5);

      exporter.close();

      assertThat(collector.received).extracting(r -> r.spans().size()).containsExactly(10, 10, 5);
      assertThat(exporter.totals()).isEqualTo(new ExportCounts(25, 0, 0, 0));
      assertThat(exporter.offer(Spans.inbound("/late"))).isFalse();
      assertThat(exporter.totals().dropped()).isEqualTo(1);
    }
  }

  @Test
  void retriesA503AfterTheRetryAfterItAsksFor() throws Exception {
    try (OtlpCollector collector = new OtlpCollector(Answer.status(503, "Retry-After", "1"));
        OtlpHttpExporter exporter =
            OtlpHttpExporter.builder(Spans.ORDERS)
                .endpoint(collector.endpoint())
                .maxDelay(Duration.ofMillis(20))
                .retry(QUICK_RETRY)
                .build()) {
      exporter.offer(Spans.inbound("/a"));

      await().until(() -> exporter.totals().exported() == 1);

      assertThat(collector.received).hasSize(2);
      assertThat(collector.received.get(1).body()).isEqualTo(collector.received.get(0).body());
      assertThat(collector.received.get(1).atNanos() - collector.received.get(0).atNanos())
          .as("waited the second the endpoint asked for, not the 10 ms backoff")
          .isGreaterThanOrEqualTo(Duration.ofMillis(900).toNanos());
      assertThat(exporter.totals().failed()).isZero();
    }
  }

  @Test
  void retries429And502And504AndAConnectionLostMidRequest() throws Exception {
    try (OtlpCollector collector =
            new OtlpCollector(
                Answer.status(429), Answer.status(502), Answer.noAnswer(), Answer.status(504));
        OtlpHttpExporter exporter =
            OtlpHttpExporter.builder(Spans.ORDERS)
                .endpoint(collector.endpoint())
                .maxDelay(Duration.ofMillis(20))
                .retry(
                    new RetryPolicy(
                        5, Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofSeconds(1)))
                .build()) {
      exporter.offer(Spans.inbound("/a"));

      await().until(() -> exporter.totals().exported() == 1);
      assertThat(collector.received).hasSize(5);
    }
  }

  @Test
  void givesUpAfterItsAttemptsAndOnAnswersThatRetryingCannotFix() throws Exception {
    try (OtlpCollector collector =
        new OtlpCollector(
            Answer.status(503),
            Answer.status(503),
            Answer.status(503), // attempts spent
            Answer.status(400), // a bad request stays bad
            Answer.status(503, "Retry-After", "3600"))) { // longer than we would hold the queue
      OtlpHttpExporter exporter =
          OtlpHttpExporter.builder(Spans.ORDERS)
              .endpoint(collector.endpoint())
              .maxBatchSize(1)
              .queueCapacity(10)
              .maxDelay(Duration.ofMillis(20))
              .retry(QUICK_RETRY)
              .build();
      exporter.offer(Spans.inbound("/a"));
      await().until(() -> exporter.totals().failed() == 1);
      exporter.offer(Spans.inbound("/b"));
      await().until(() -> exporter.totals().failed() == 2);
      exporter.offer(Spans.inbound("/c"));
      await().until(() -> exporter.totals().failed() == 3);
      exporter.close();

      assertThat(collector.received).hasSize(5);
      assertThat(exporter.totals()).isEqualTo(new ExportCounts(0, 0, 3, 0));
    }
  }

  @Test
  void countsSpansTheEndpointRejectsInAPartialSuccess() throws Exception {
    byte[] partial =
        ExportTraceServiceResponse.newBuilder()
            .setPartialSuccess(
                ExportTracePartialSuccess.newBuilder()
                    .setRejectedSpans(1)
                    .setErrorMessage("span too large"))
            .build()
            .toByteArray();
    try (OtlpCollector collector = new OtlpCollector(Answer.body(partial));
        OtlpHttpExporter exporter =
            OtlpHttpExporter.builder(Spans.ORDERS)
                .endpoint(collector.endpoint())
                .maxBatchSize(3)
                .build()) {
      exporter.offer(Spans.inbound("/a"));
      exporter.offer(Spans.inbound("/b"));
      exporter.offer(Spans.inbound("/c"));

      await().until(() -> exporter.totals().exported() + exporter.totals().failed() == 3);
      assertThat(exporter.totals()).isEqualTo(new ExportCounts(2, 0, 1, 0));
    }
  }

  @Test
  void aDeadEndpointNeitherBlocksOfferNorHoldsBackTheOthers() throws Exception {
    URI dead = deadEndpoint();
    try (OtlpCollector live = new OtlpCollector()) {
      OtlpHttpExporter exporter =
          OtlpHttpExporter.builder(Spans.ORDERS)
              .endpoint(dead)
              .endpoint(live.endpoint())
              .queueCapacity(100)
              .maxBatchSize(10)
              .maxDelay(Duration.ofMillis(20))
              .retry(RetryPolicy.DEFAULT) // seconds of backoff against the dead one
              .closeTimeout(Duration.ofMillis(300))
              .build();
      Span span = Spans.inbound("/a");
      int offered = 10_000;
      for (int i = 0; i < offered; i++) {
        exporter.offer(span); // would hang the test (and its timeout fail it) if it waited
      }

      await().until(() -> exporter.counts().get(live.endpoint()).exported() > 0);
      ExportCounts toDead = exporter.counts().get(dead);
      assertThat(toDead.exported()).isZero();
      assertThat(toDead.dropped()).isGreaterThanOrEqualTo(offered - 100 - 10);

      exporter.close();

      for (ExportCounts counts : exporter.counts().values()) {
        assertThat(counts.pending()).isZero();
        assertThat(counts.exported() + counts.dropped() + counts.failed())
            .as("every span accounted for once: %s", counts)
            .isEqualTo(offered);
      }
    }
  }

  @Test
  void closeIsBoundedWhenTheEndpointNeverAnswers() throws Exception {
    ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    List<Socket> accepted = new CopyOnWriteArrayList<>();
    Thread acceptor =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    while (true) {
                      accepted.add(blackHole.accept()); // and never answer
                    }
                  } catch (IOException closed) {
                    // the test is over
                  }
                });
    try {
      OtlpHttpExporter exporter =
          OtlpHttpExporter.builder(Spans.ORDERS)
              .endpoint(URI.create("http://127.0.0.1:" + blackHole.getLocalPort()))
              .maxDelay(Duration.ofMillis(10))
              .requestTimeout(Duration.ofMinutes(5))
              .closeTimeout(Duration.ofMillis(300))
              .build();
      exporter.offer(Spans.inbound("/a"));
      exporter.offer(Spans.inbound("/b"));
      await().until(() -> !accepted.isEmpty());

      exporter.close(); // the class's timeout fails the test if this waits for the 5 minutes

      ExportCounts counts = exporter.totals();
      assertThat(counts.exported()).isZero();
      assertThat(counts.dropped() + counts.failed()).isEqualTo(2);
      assertThat(counts.pending()).isZero();
    } finally {
      blackHole.close();
      acceptor.join();
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }

  @Test
  void readsRetryAfterInSecondsOrAsADate() {
    assertThat(EndpointExport.retryAfter("120")).contains(Duration.ofSeconds(120));
    assertThat(EndpointExport.retryAfter(" 0 ")).contains(Duration.ZERO);
    assertThat(EndpointExport.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).contains(Duration.ZERO);
    assertThat(EndpointExport.retryAfter("soon")).isEmpty();
    assertThat(EndpointExport.retryAfter("-5")).isEmpty();
  }

  @Test
  void joinsV1TracesToTheBaseEndpoint() {
    assertThat(EndpointExport.tracesUri(URI.create("https://control:8443")))
        .isEqualTo(URI.create("https://control:8443/v1/traces"));
    assertThat(EndpointExport.tracesUri(URI.create("http://collector:4318/otlp/")))
        .isEqualTo(URI.create("http://collector:4318/otlp/v1/traces"));
  }

  @Test
  void withNoEndpointItTakesNothing() {
    try (OtlpHttpExporter exporter = OtlpHttpExporter.builder(Spans.ORDERS).build()) {
      assertThat(exporter.offer(Spans.inbound("/a"))).isFalse();
      assertThat(exporter.totals()).isEqualTo(ExportCounts.ZERO);
    }
  }

  /** A loopback port nothing listens on (connections are refused). */
  private static URI deadEndpoint() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    return URI.create("http://127.0.0.1:" + port);
  }
}
