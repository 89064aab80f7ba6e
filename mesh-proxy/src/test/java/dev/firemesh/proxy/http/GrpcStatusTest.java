package dev.firemesh.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;

class GrpcStatusTest {

  @Test
  void grpcContentTypesAreRecognisedButGrpcWebIsNot() {
    assertThat(GrpcStatus.isGrpc(headers("application/grpc"))).isTrue();
    assertThat(GrpcStatus.isGrpc(headers("application/grpc+proto"))).isTrue();
    assertThat(GrpcStatus.isGrpc(headers("Application/GRPC;charset=utf-8"))).isTrue();
    assertThat(GrpcStatus.isGrpc(headers("application/grpc-web"))).isFalse();
    assertThat(GrpcStatus.isGrpc(headers("application/json"))).isFalse();
    assertThat(GrpcStatus.isGrpc(new DefaultHttpHeaders())).isFalse();
  }

  @Test
  void httpStatusesMapAsGrpcClientsMapThem() {
    assertThat(GrpcStatus.fromHttp(HttpResponseStatus.NOT_FOUND))
        .isEqualTo(GrpcStatus.UNIMPLEMENTED);
    assertThat(GrpcStatus.fromHttp(HttpResponseStatus.SERVICE_UNAVAILABLE))
        .isEqualTo(GrpcStatus.UNAVAILABLE);
    assertThat(GrpcStatus.fromHttp(HttpResponseStatus.BAD_GATEWAY))
        .isEqualTo(GrpcStatus.UNAVAILABLE);
    assertThat(GrpcStatus.fromHttp(HttpResponseStatus.INTERNAL_SERVER_ERROR))
        .isEqualTo(GrpcStatus.UNKNOWN);
  }

  @Test
  void messagesArePercentEncodedOutsidePrintableAscii() {
    assertThat(GrpcStatus.percentEncode("no healthy upstream")).isEqualTo("no healthy upstream");
    assertThat(GrpcStatus.percentEncode("100% sûr\n")).isEqualTo("100%25 s%C3%BBr%0A");
  }

  @Test
  void aLocalReplyToAGrpcCallIsATrailersOnlyStatus() {
    var reply =
        new LocalReply(HttpResponseStatus.NOT_FOUND, "unknown service: x", false, false, true)
            .toResponse(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT);
    try {
      assertThat(reply.status()).isEqualTo(HttpResponseStatus.OK);
      assertThat(reply.headers().get("content-type")).isEqualTo("application/grpc");
      assertThat(reply.headers().get("grpc-status")).isEqualTo("12");
      assertThat(reply.headers().get("grpc-message")).isEqualTo("unknown service: x");
      assertThat(reply.content().readableBytes()).isZero();
    } finally {
      reply.release();
    }
  }

  private static DefaultHttpHeaders headers(String contentType) {
    DefaultHttpHeaders headers = new DefaultHttpHeaders();
    headers.set("content-type", contentType);
    return headers;
  }
}
