package dev.firemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firemesh.proxy.telemetry.ExchangeRecord;
import dev.firemesh.proxy.telemetry.ResponseFlag;
import dev.firemesh.proxy.testing.GrpcApp;
import dev.firemesh.proxy.testing.MeshConfigs;
import dev.firemesh.proxy.testing.SidecarPair;
import dev.firemesh.telemetry.trace.Direction;
import dev.firemesh.traffic.config.ClusterConfig;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * gRPC calls' records: the status from the trailers, from a trailers-only answer, and the one the
 * sidecar answers with itself, on both sidecars of real grpc-java peers.
 */
class GrpcExchangeRecordTest {
  private static final LinkedBlockingQueue<ExchangeRecord> records = new LinkedBlockingQueue<>();
  private static GrpcApp app;
  private static SidecarPair mesh;
  private static ManagedChannel orders;
  private static ManagedChannel drained;

  @BeforeAll
  static void start() {
    app = new GrpcApp();
    mesh =
        SidecarPair.inFrontOf(
            app, app.port(), ClusterConfig.Protocol.HTTP2, b -> b.exchangeObserver(records::add));
    mesh.caller.apply(
        MeshConfigs.builder()
            .service("orders", "orders")
            .cluster("orders", ClusterConfig.Protocol.HTTP2, mesh.callee.inboundAddress().getPort())
            .service("drained", "drained")
            .cluster("drained", ClusterConfig.Protocol.HTTP2)
            .build("caller-grpc"));
    orders = channel("orders");
    drained = channel("drained");
  }

  private static ManagedChannel channel(String service) {
    return NettyChannelBuilder.forAddress(mesh.outbound())
        .overrideAuthority(service)
        .usePlaintext()
        .build();
  }

  @AfterAll
  static void stop() {
    orders.shutdownNow();
    drained.shutdownNow();
    mesh.close();
  }

  @BeforeEach
  void forgetEarlierRecords() {
    records.clear();
  }

  private static List<ExchangeRecord> next(int count) throws InterruptedException {
    List<ExchangeRecord> taken = new ArrayList<>();
    while (taken.size() < count) {
      ExchangeRecord record = records.poll(10, TimeUnit.SECONDS);
      assertThat(record).as("record %d of %d", taken.size() + 1, count).isNotNull();
      taken.add(record);
    }
    return taken;
  }

  private static CallOptions options() {
    return CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @Test
  void anOkCallHasItsStatusFromTheTrailersOnBothSides() throws Exception {
    byte[] request = "buy 100 XS0000000001".getBytes(StandardCharsets.UTF_8);
    ClientCalls.blockingUnaryCall(orders, GrpcApp.ECHO, options(), request);

    List<ExchangeRecord> taken = next(2);
    assertThat(taken)
        .extracting(ExchangeRecord::direction)
        .containsExactlyInAnyOrder(Direction.OUTBOUND, Direction.INBOUND);
    for (ExchangeRecord record : taken) {
      assertThat(record.protocol()).isEqualTo(ExchangeRecord.Protocol.GRPC);
      assertThat(record.method()).isEqualTo("POST");
      assertThat(record.path()).isEqualTo("/" + GrpcApp.SERVICE + "/Echo");
      assertThat(record.status()).isEqualTo(200);
      assertThat(record.grpcStatus()).isZero();
      assertThat(record.grpcCode()).isEqualTo("OK");
      assertThat(record.error()).isFalse();
      // the gRPC frame: 5 bytes of prefix and the message, both ways
      assertThat(record.requestBytes()).isEqualTo(5 + request.length);
      assertThat(record.responseBytes()).isEqualTo(5 + request.length);
    }
  }

  @Test
  void aFailedCallHasItsStatusFromATrailersOnlyAnswer() throws Exception {
    byte[] request = (Status.Code.UNAVAILABLE.value() + ":down").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(
            () -> ClientCalls.blockingUnaryCall(orders, GrpcApp.FAIL, options(), request))
        .isInstanceOf(StatusRuntimeException.class);

    for (ExchangeRecord record : next(2)) {
      assertThat(record.status()).isEqualTo(200);
      assertThat(record.grpcCode()).isEqualTo("UNAVAILABLE");
      assertThat(record.error()).isTrue();
      assertThat(record.flag()).isEqualTo(ResponseFlag.NONE);
    }
  }

  @Test
  void theSidecarsOwnAnswerIsRecordedWithTheStatusItSent() throws Exception {
    assertThatThrownBy(
            () -> ClientCalls.blockingUnaryCall(drained, GrpcApp.ECHO, options(), new byte[1]))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));

    ExchangeRecord record = next(1).getFirst();
    assertThat(record.direction()).isEqualTo(Direction.OUTBOUND);
    assertThat(record.status()).isEqualTo(200);
    assertThat(record.grpcCode()).isEqualTo("UNAVAILABLE");
    assertThat(record.flag()).isEqualTo(ResponseFlag.NO_HEALTHY_UPSTREAM);
    assertThat(record.destination()).isEqualTo("drained");
    assertThat(record.attempts()).isZero();
  }
}
