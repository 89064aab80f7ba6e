package dev.firemesh.chassis.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firemesh.chassis.Chassis;
import dev.firemesh.chassis.telemetry.CurrentRequest;
import dev.firemesh.chassis.telemetry.LogFormat;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A chassis service with a gRPC service: served, traced and counted as the sidecar counts. */
class ChassisGrpcTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  /** Strings as UTF-8 bytes: a gRPC method without generated code. */
  private static final MethodDescriptor.Marshaller<String> TEXT =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
          return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
          try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  private static final MethodDescriptor<String, String> SAY =
      MethodDescriptor.<String, String>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("test.Echo/Say")
          .setRequestMarshaller(TEXT)
          .setResponseMarshaller(TEXT)
          .build();

  @Test
  void aCallIsServedInTheCallersTraceAndCountedWithItsGrpcCode() throws Exception {
    ServerServiceDefinition echo =
        ServerServiceDefinition.builder("test.Echo")
            .addMethod(
                SAY,
                ServerCalls.asyncUnaryCall(
                    (request, response) -> {
                      if (request.equals("fail")) {
                        response.onError(
                            Status.FAILED_PRECONDITION.withDescription("closed").asException());
                        return;
                      }
                      String trace =
                          CurrentRequest.hop().map(hop -> hop.traceId().hex()).orElse("none");
                      response.onNext(request + " in " + trace);
                      response.onCompleted();
                    }))
            .build();
    try (Chassis chassis =
        Chassis.builder()
            .service("echo")
            .standalone()
            .logFormat(LogFormat.AS_CONFIGURED)
            .stopOnSigterm(false)
            .drainDelay(Duration.ZERO)
            .grpc(context -> List.of(echo))
            .start()) {
      int port = chassis.grpcAddress().orElseThrow().getPort();
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      try {
        Metadata headers = new Metadata();
        headers.put(
            Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER),
            "00-" + TRACE + "-00f067aa0ba902b7-01");
        headers.put(
            Metadata.Key.of("x-firemesh-caller", Metadata.ASCII_STRING_MARSHALLER), "gateway");
        var traced =
            ClientInterceptors.intercept(
                channel, MetadataUtils.newAttachHeadersInterceptor(headers));

        assertThat(ClientCalls.blockingUnaryCall(traced, SAY, CallOptions.DEFAULT, "hi"))
            .isEqualTo("hi in " + TRACE);
        assertThatThrownBy(
                () -> ClientCalls.blockingUnaryCall(traced, SAY, CallOptions.DEFAULT, "fail"))
            .isInstanceOf(StatusRuntimeException.class)
            .hasMessageContaining("FAILED_PRECONDITION");
      } finally {
        channel.shutdownNow();
      }

      String metrics =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:" + chassis.address().getPort() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(metrics)
          .contains(
              "firemesh_requests_total{destination=\"echo\",direction=\"inbound\","
                  + "grpc_code=\"OK\",route=\"/test.Echo/Say\",source=\"gateway\","
                  + "status_class=\"2xx\"} 1.0")
          .contains("grpc_code=\"FAILED_PRECONDITION\",route=\"/test.Echo/Say\"");
    }
  }
}
