package dev.firemesh.telemetry.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Names, statuses and attributes as OpenTelemetry's HTTP and RPC conventions have them. */
class SpanConventionsTest {

  @Test
  void anInboundHttpRequest() {
    HopOutcome hop =
        HopOutcome.builder(Direction.INBOUND)
            .timing(1, 2)
            .request("POST", "http", "/orders")
            .statusCode(201)
            .server("orders", 8080)
            .peer("127.0.0.1", 40122)
            .protocolVersion("1.1")
            .mesh("traffic-generator", "orders", "default")
            .build();

    assertThat(SpanConventions.name(hop)).isEqualTo("POST");
    assertThat(SpanConventions.status(hop)).isEqualTo(SpanStatus.UNSET);
    assertThat(SpanConventions.attributes(hop).asMap())
        .containsExactly(
            entry("http.request.method", "POST"),
            entry("url.scheme", "http"),
            entry("url.path", "/orders"),
            entry("http.response.status_code", 201L),
            entry("server.address", "orders"),
            entry("server.port", 8080L),
            entry("network.peer.address", "127.0.0.1"),
            entry("network.peer.port", 40122L),
            entry("network.protocol.version", "1.1"),
            entry("firemesh.direction", "inbound"),
            entry("firemesh.source", "traffic-generator"),
            entry("firemesh.destination", "orders"),
            entry("firemesh.route", "default"));
  }

  @Test
  void aRouteTemplateNamesTheSpan() {
    HopOutcome hop =
        HopOutcome.builder(Direction.INBOUND)
            .request("GET", "http", "/orders/o-17")
            .httpRoute("/orders/{id}")
            .statusCode(200)
            .build();

    assertThat(SpanConventions.name(hop)).isEqualTo("GET /orders/{id}");
    assertThat(SpanConventions.attributes(hop).get("http.route")).contains("/orders/{id}");
  }

  @Test
  void aServerSpanFailsOn5xxOnlyAndAClientSpanOn4xxToo() {
    HopOutcome inbound404 = http(Direction.INBOUND, 404);
    HopOutcome outbound404 = http(Direction.OUTBOUND, 404);
    HopOutcome inbound503 = http(Direction.INBOUND, 503);

    assertThat(SpanConventions.status(inbound404)).isEqualTo(SpanStatus.UNSET);
    assertThat(SpanConventions.attributes(inbound404).get("error.type")).isEmpty();
    assertThat(SpanConventions.status(outbound404).code()).isEqualTo(SpanStatus.Code.ERROR);
    assertThat(SpanConventions.attributes(outbound404).get("error.type")).contains("404");
    assertThat(SpanConventions.status(inbound503).code()).isEqualTo(SpanStatus.Code.ERROR);
    assertThat(SpanConventions.attributes(inbound503).get("error.type")).contains("503");

    // the mesh's own notion, which forces export, is the narrower one
    assertThat(outbound404.failed()).isFalse();
    assertThat(inbound503.failed()).isTrue();
  }

  @Test
  void noResponseIsAnErrorOfItsType() {
    HopOutcome hop =
        HopOutcome.builder(Direction.OUTBOUND)
            .request("GET", "http", "/instruments")
            .errorType("timeout")
            .build();

    assertThat(hop.failed()).isTrue();
    assertThat(SpanConventions.status(hop).code()).isEqualTo(SpanStatus.Code.ERROR);
    Map<String, Object> attributes = SpanConventions.attributes(hop).asMap();
    assertThat(attributes).containsEntry("error.type", "timeout");
    assertThat(attributes).doesNotContainKey("http.response.status_code");
  }

  @Test
  void anUnknownMethodIsOtherAndKeepsItsOriginal() {
    HopOutcome hop =
        HopOutcome.builder(Direction.INBOUND).request("PURGE", "http", "/").statusCode(200).build();

    assertThat(SpanConventions.name(hop)).isEqualTo("HTTP");
    assertThat(SpanConventions.attributes(hop).asMap())
        .containsEntry("http.request.method", "_OTHER")
        .containsEntry("http.request.method_original", "PURGE");
  }

  @Test
  void aGrpcCallIsAnRpcSpan() {
    HopOutcome hop = grpc(Direction.OUTBOUND, 0);

    assertThat(SpanConventions.name(hop)).isEqualTo("firemesh.trading.MarketData/StreamQuotes");
    assertThat(SpanConventions.status(hop)).isEqualTo(SpanStatus.UNSET);
    assertThat(SpanConventions.attributes(hop).asMap())
        .containsEntry("rpc.system", "grpc")
        .containsEntry("rpc.service", "firemesh.trading.MarketData")
        .containsEntry("rpc.method", "StreamQuotes")
        .containsEntry("rpc.grpc.status_code", 0L)
        .containsEntry("firemesh.direction", "outbound")
        .doesNotContainKeys("http.request.method", "url.path", "error.type");
  }

  @Test
  void grpcStatusesFailAsTheConventionsSayForEachSide() {
    // NOT_FOUND: the client did not get what it asked; the server did its job
    assertThat(SpanConventions.status(grpc(Direction.INBOUND, 5))).isEqualTo(SpanStatus.UNSET);
    assertThat(SpanConventions.status(grpc(Direction.OUTBOUND, 5)).code())
        .isEqualTo(SpanStatus.Code.ERROR);
    assertThat(SpanConventions.attributes(grpc(Direction.OUTBOUND, 5)).get("error.type"))
        .contains("NOT_FOUND");
    assertThat(grpc(Direction.OUTBOUND, 5).failed()).isFalse();

    // UNAVAILABLE: an error on both sides, and for the mesh
    assertThat(SpanConventions.status(grpc(Direction.INBOUND, 14)).code())
        .isEqualTo(SpanStatus.Code.ERROR);
    assertThat(SpanConventions.attributes(grpc(Direction.INBOUND, 14)).get("error.type"))
        .contains("UNAVAILABLE");
    assertThat(grpc(Direction.INBOUND, 14).failed()).isTrue();
  }

  @Test
  void theMeshsErrorsAreTheGoldenMetricsOnes() {
    for (int code : new int[] {2, 4, 12, 13, 14, 15}) {
      assertThat(grpc(Direction.INBOUND, code).failed()).as("gRPC %d", code).isTrue();
    }
    for (int code : new int[] {0, 1, 3, 5, 6, 7, 8, 9, 10, 11, 16}) {
      assertThat(grpc(Direction.INBOUND, code).failed()).as("gRPC %d", code).isFalse();
    }
    assertThat(grpc(Direction.INBOUND, 42).failed())
        .as("an undefined code reads as UNKNOWN")
        .isTrue();
    assertThat(SpanConventions.attributes(grpc(Direction.INBOUND, 42)).get("error.type"))
        .contains("42");
    assertThat(http(Direction.INBOUND, 499).failed()).isFalse();
    assertThat(http(Direction.INBOUND, 500).failed()).isTrue();
  }

  private static HopOutcome http(Direction direction, int status) {
    return HopOutcome.builder(direction).request("GET", "http", "/x").statusCode(status).build();
  }

  private static HopOutcome grpc(Direction direction, int status) {
    return HopOutcome.builder(direction)
        .request("POST", "http", "/firemesh.trading.MarketData/StreamQuotes")
        .statusCode(200)
        .grpcStatus(status)
        .protocolVersion("2")
        .build();
  }
}
