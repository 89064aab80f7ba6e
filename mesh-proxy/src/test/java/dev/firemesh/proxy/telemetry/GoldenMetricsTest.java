package dev.firemesh.proxy.telemetry;

import static dev.firemesh.proxy.telemetry.Exposition.labels;
import static dev.firemesh.proxy.telemetry.Exposition.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.telemetry.metrics.GoldenMetrics;
import dev.firemesh.telemetry.trace.Direction;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoldenMetricsTest {
  private static void count(GoldenMetrics metrics, ExchangeRecord record) {
    record.countIn(metrics);
  }

  private static final Map<String, String> EDGE =
      labels(
          "direction", "outbound", "source", "gateway", "destination", "orders", "route", "canary");

  @Test
  void requestsAreCountedByEdgeStatusClassAndGrpcCodeWithTheDocumentedNames() {
    GoldenMetrics metrics = new GoldenMetrics();
    count(metrics, Records.outbound());
    count(metrics, Records.outbound());
    count(metrics, Records.forwarded(Direction.OUTBOUND, "gateway", "orders", "canary", "/", 503));
    count(metrics, Records.grpc(Records.outbound(), 14, 10));

    Exposition page = new Exposition(metrics.exposition());

    assertThat(page.types)
        .containsEntry("firemesh_requests_total", "counter")
        .containsEntry("firemesh_request_duration_seconds", "histogram")
        .containsEntry("firemesh_request_bytes_total", "counter")
        .containsEntry("firemesh_response_bytes_total", "counter");
    assertThat(
            page.value(
                "firemesh_requests_total", with(EDGE, "status_class", "2xx", "grpc_code", "none")))
        .isEqualTo(2.0);
    assertThat(
            page.value(
                "firemesh_requests_total", with(EDGE, "status_class", "5xx", "grpc_code", "none")))
        .isEqualTo(1.0);
    assertThat(
            page.value(
                "firemesh_requests_total",
                with(EDGE, "status_class", "2xx", "grpc_code", "UNAVAILABLE")))
        .isEqualTo(1.0);
    assertThat(page.count("firemesh_requests_total")).isEqualTo(3);
    // Every record's response body (9 bytes each) on the edge's byte counter; no request bytes.
    assertThat(page.value("firemesh_response_bytes_total", EDGE)).isEqualTo(36.0);
    assertThat(page.value("firemesh_request_bytes_total", EDGE)).isEqualTo(0.0);
  }

  @Test
  void latencyIsAHistogramWithTheFixedBuckets() {
    GoldenMetrics metrics = new GoldenMetrics();
    count(metrics, Records.outbound()); // 1,234 µs
    count(metrics, Records.grpc(Records.outbound(), 0, 7_000_000)); // 7 s

    Exposition page = new Exposition(metrics.exposition());

    String bucket = "firemesh_request_duration_seconds_bucket";
    assertThat(page.value(bucket, with(EDGE, "le", "0.001"))).isEqualTo(0.0);
    assertThat(page.value(bucket, with(EDGE, "le", "0.0025"))).isEqualTo(1.0);
    assertThat(page.value(bucket, with(EDGE, "le", "5.0"))).isEqualTo(1.0);
    assertThat(page.value(bucket, with(EDGE, "le", "10.0"))).isEqualTo(2.0);
    assertThat(page.value(bucket, with(EDGE, "le", "+Inf"))).isEqualTo(2.0);
    assertThat(page.count(bucket)).isEqualTo(GoldenMetrics.buckets().size() + 1);
    assertThat(page.value("firemesh_request_duration_seconds_count", EDGE)).isEqualTo(2.0);
    assertThat(page.value("firemesh_request_duration_seconds_sum", EDGE)).isEqualTo(7.001234);
    // the smallest and largest bounds, as the collector reads them
    assertThat(page.value(bucket, with(EDGE, "le", "1.0E-4"))).isEqualTo(0.0);
  }

  @Test
  void labelSetsPastTheCapFoldIntoOtherAndAreCounted() {
    // an edge with one status class takes two label sets: 6 is three callers' worth
    GoldenMetrics metrics = new GoldenMetrics(6);
    for (int caller = 0; caller < 5; caller++) {
      for (int i = 0; i <= caller; i++) {
        count(metrics, inbound("caller-" + caller, 200));
      }
    }

    Exposition page = new Exposition(metrics.exposition());

    // callers 0-2 keep their edges; 3 (4 requests) and 4 (5 requests) fold into one
    assertThat(metrics.folded()).isEqualTo(9);
    assertThat(page.value("firemesh_requests_total", other("2xx"))).isEqualTo(9.0);
    for (int caller = 0; caller < 3; caller++) {
      assertThat(page.value("firemesh_requests_total", inboundLabels("caller-" + caller, "2xx")))
          .isEqualTo(caller + 1.0);
    }
    assertThat(page.count("firemesh_request_duration_seconds_count")).isEqualTo(4);
    assertThat(metrics.edges()).isEqualTo(4);

    // a known edge keeps its meters past the cap; a status it has not had yet is folded
    count(metrics, inbound("caller-0", 200));
    count(metrics, inbound("caller-0", 503));
    page = new Exposition(metrics.exposition());
    assertThat(metrics.folded()).isEqualTo(10);
    assertThat(page.value("firemesh_requests_total", inboundLabels("caller-0", "2xx")))
        .isEqualTo(2.0);
    assertThat(page.value("firemesh_requests_total", inboundLabels("caller-0", "5xx"))).isNull();
    assertThat(page.value("firemesh_requests_total", other("5xx"))).isEqualTo(1.0);
    assertThat(
            page.value(
                "firemesh_request_duration_seconds_count",
                labels(
                    "direction",
                    "inbound",
                    "source",
                    "caller-0",
                    "destination",
                    "orders",
                    "route",
                    "none")))
        .as("its latency is still its own")
        .isEqualTo(3.0);
  }

  private static ExchangeRecord inbound(String caller, int status) {
    return Records.forwarded(Direction.INBOUND, caller, "orders", "none", "/", status);
  }

  private static Map<String, String> inboundLabels(String caller, String statusClass) {
    return labels(
        "direction",
        "inbound",
        "source",
        caller,
        "destination",
        "orders",
        "route",
        "none",
        "status_class",
        statusClass,
        "grpc_code",
        "none");
  }

  private static Map<String, String> other(String statusClass) {
    return labels(
        "direction",
        "inbound",
        "source",
        "other",
        "destination",
        "other",
        "route",
        "other",
        "status_class",
        statusClass,
        "grpc_code",
        "none");
  }

  @Test
  void errorsAreServerSide5xxAndTheGrpcCodesOfAFailedPath() {
    assertThat(Records.local(503, ResponseFlag.NO_HEALTHY_UPSTREAM).error()).isTrue();
    assertThat(Records.local(429, ResponseFlag.RATE_LIMITED).error()).isFalse();
    assertThat(Records.local(0, ResponseFlag.DOWNSTREAM_CLOSED).statusClass()).isEqualTo("none");
    for (int code : new int[] {2, 4, 12, 13, 14, 15}) {
      assertThat(Records.grpc(Records.outbound(), code, 1).error()).as("code %d", code).isTrue();
    }
    for (int code : new int[] {0, 1, 3, 5, 7, 8, 16}) {
      assertThat(Records.grpc(Records.outbound(), code, 1).error()).as("code %d", code).isFalse();
    }
    assertThat(Records.grpc(Records.outbound(), 99, 1).grpcCode()).isEqualTo("UNKNOWN");
    assertThat(Records.outbound().grpcCode()).isEqualTo("none");
  }
}
