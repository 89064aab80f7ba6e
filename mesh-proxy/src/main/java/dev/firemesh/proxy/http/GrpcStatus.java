package dev.firemesh.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;

/**
 * What the sidecar needs of gRPC (its HTTP/2 protocol, grpc/grpc PROTOCOL-HTTP2.md): recognising a
 * gRPC request, and answering one it cannot forward with a gRPC status instead of an HTTP error.
 */
public final class GrpcStatus {

  public static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");
  public static final AsciiString GRPC_MESSAGE = AsciiString.cached("grpc-message");

  /** gRPC status codes used here (grpc/grpc doc/statuscodes.md). */
  public static final int UNKNOWN = 2;

  public static final int DEADLINE_EXCEEDED = 4;

  public static final int PERMISSION_DENIED = 7;
  public static final int RESOURCE_EXHAUSTED = 8;
  public static final int UNIMPLEMENTED = 12;
  public static final int INTERNAL = 13;
  public static final int UNAVAILABLE = 14;
  public static final int UNAUTHENTICATED = 16;

  private static final String CONTENT_TYPE = "application/grpc";
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  private GrpcStatus() {}

  /**
   * Whether the request is gRPC: {@code content-type} is {@code application/grpc}, possibly with a
   * {@code +format} suffix or parameters (gRPC-Web's {@code application/grpc-web} is not).
   */
  public static boolean isGrpc(HttpHeaders headers) {
    String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
    if (type == null || !type.regionMatches(true, 0, CONTENT_TYPE, 0, CONTENT_TYPE.length())) {
      return false;
    }
    if (type.length() == CONTENT_TYPE.length()) {
      return true;
    }
    char next = type.charAt(CONTENT_TYPE.length());
    return next == '+' || next == ';';
  }

  /**
   * The status a gRPC client would derive from an HTTP status (grpc/grpc
   * doc/http-grpc-status-mapping.md), so the sidecar's answer means what the client would have
   * concluded anyway: unknown service or no route (404) is UNIMPLEMENTED, no upstream (502, 503,
   * 504) UNAVAILABLE.
   */
  public static int fromHttp(HttpResponseStatus status) {
    return switch (status.code()) {
      case 400 -> INTERNAL;
      case 401 -> UNAUTHENTICATED;
      case 403 -> PERMISSION_DENIED;
      case 404 -> UNIMPLEMENTED;
      case 429, 502, 503, 504 -> UNAVAILABLE;
      default -> UNKNOWN;
    };
  }

  /**
   * Sets {@code content-type}, {@code grpc-status} and the percent-encoded {@code grpc-message}.
   */
  static void set(HttpHeaders headers, int code, String message) {
    headers
        .set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE)
        .setInt(GRPC_STATUS, code)
        .set(GRPC_MESSAGE, percentEncode(message));
  }

  /** Bytes outside printable ASCII, and '%', as %XX of their UTF-8 (the spec's grpc-message). */
  static String percentEncode(String message) {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '%') {
        out.append((char) c);
      } else {
        out.append('%').append((char) HEX[c >>> 4]).append((char) HEX[c & 0xf]);
      }
    }
    return out.toString();
  }
}
