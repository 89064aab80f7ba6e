package dev.firemesh.telemetry.trace;

import static dev.firemesh.telemetry.trace.SemanticAttributes.ERROR_TYPE;
import static dev.firemesh.telemetry.trace.SemanticAttributes.FIREMESH_DESTINATION;
import static dev.firemesh.telemetry.trace.SemanticAttributes.FIREMESH_DIRECTION;
import static dev.firemesh.telemetry.trace.SemanticAttributes.FIREMESH_ROUTE;
import static dev.firemesh.telemetry.trace.SemanticAttributes.FIREMESH_SOURCE;
import static dev.firemesh.telemetry.trace.SemanticAttributes.HTTP_REQUEST_METHOD;
import static dev.firemesh.telemetry.trace.SemanticAttributes.HTTP_REQUEST_METHOD_ORIGINAL;
import static dev.firemesh.telemetry.trace.SemanticAttributes.HTTP_RESPONSE_STATUS_CODE;
import static dev.firemesh.telemetry.trace.SemanticAttributes.HTTP_ROUTE;
import static dev.firemesh.telemetry.trace.SemanticAttributes.NETWORK_PEER_ADDRESS;
import static dev.firemesh.telemetry.trace.SemanticAttributes.NETWORK_PEER_PORT;
import static dev.firemesh.telemetry.trace.SemanticAttributes.NETWORK_PROTOCOL_VERSION;
import static dev.firemesh.telemetry.trace.SemanticAttributes.RPC_GRPC_STATUS_CODE;
import static dev.firemesh.telemetry.trace.SemanticAttributes.RPC_METHOD;
import static dev.firemesh.telemetry.trace.SemanticAttributes.RPC_SERVICE;
import static dev.firemesh.telemetry.trace.SemanticAttributes.RPC_SYSTEM;
import static dev.firemesh.telemetry.trace.SemanticAttributes.SERVER_ADDRESS;
import static dev.firemesh.telemetry.trace.SemanticAttributes.SERVER_PORT;
import static dev.firemesh.telemetry.trace.SemanticAttributes.URL_PATH;
import static dev.firemesh.telemetry.trace.SemanticAttributes.URL_SCHEME;

import java.util.Set;

/**
 * How a hop becomes a span by OpenTelemetry's HTTP and RPC semantic conventions: its name, its
 * status and its attributes.
 *
 * <ul>
 *   <li>Name: gRPC {@code package.Service/Method}; HTTP {@code METHOD http.route}, or {@code
 *       METHOD} alone (a path is too varied to name a span), {@code HTTP} for an unknown method.
 *   <li>Status: ERROR when no response came; HTTP SERVER spans on 5xx, CLIENT spans on 4xx and 5xx
 *       (the caller did not get what it asked for); gRPC SERVER spans on the server-error codes
 *       ({@link HopOutcome#failed()}), CLIENT spans on any code but OK. UNSET otherwise. This is
 *       the conventions' notion; whether the span is exported regardless of sampling follows the
 *       mesh's narrower {@link HopOutcome#failed()}, so a burst of 404s is not exported whole.
 *   <li>Attributes: see {@link SemanticAttributes}; {@code error.type} when the status is ERROR:
 *       the outcome's error type, else the gRPC code's name or the HTTP status code.
 * </ul>
 */
public final class SpanConventions {
  private static final Set<String> KNOWN_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

  private SpanConventions() {}

  public static String name(HopOutcome hop) {
    if (hop.isGrpc()) {
      String path = hop.path();
      return path.startsWith("/") && path.length() > 1 ? path.substring(1) : "grpc";
    }
    String method = KNOWN_METHODS.contains(hop.method()) ? hop.method() : "HTTP";
    return hop.httpRoute().isEmpty() ? method : method + " " + hop.httpRoute();
  }

  public static SpanStatus status(HopOutcome hop) {
    return isError(hop) ? SpanStatus.error("") : SpanStatus.UNSET;
  }

  public static Attributes attributes(HopOutcome hop) {
    Attributes.Builder a = Attributes.builder();
    if (hop.isGrpc()) {
      String path = hop.path();
      int slash = path.lastIndexOf('/');
      a.put(RPC_SYSTEM, "grpc");
      if (slash > 0) {
        a.put(RPC_SERVICE, path.substring(path.startsWith("/") ? 1 : 0, slash));
        a.putIfNotEmpty(RPC_METHOD, path.substring(slash + 1));
      }
      a.put(RPC_GRPC_STATUS_CODE, hop.grpcStatus());
    } else {
      if (KNOWN_METHODS.contains(hop.method())) {
        a.put(HTTP_REQUEST_METHOD, hop.method());
      } else {
        a.put(HTTP_REQUEST_METHOD, "_OTHER");
        a.putIfNotEmpty(HTTP_REQUEST_METHOD_ORIGINAL, hop.method());
      }
      a.putIfNotEmpty(URL_SCHEME, hop.scheme());
      a.putIfNotEmpty(URL_PATH, hop.path());
      a.putIfNotEmpty(HTTP_ROUTE, hop.httpRoute());
      if (hop.statusCode() > 0) {
        a.put(HTTP_RESPONSE_STATUS_CODE, hop.statusCode());
      }
    }
    a.putIfNotEmpty(SERVER_ADDRESS, hop.serverAddress());
    if (hop.serverPort() > 0) {
      a.put(SERVER_PORT, hop.serverPort());
    }
    a.putIfNotEmpty(NETWORK_PEER_ADDRESS, hop.peerAddress());
    if (hop.peerPort() > 0) {
      a.put(NETWORK_PEER_PORT, hop.peerPort());
    }
    a.putIfNotEmpty(NETWORK_PROTOCOL_VERSION, hop.protocolVersion());
    if (isError(hop)) {
      a.put(ERROR_TYPE, errorType(hop));
    }
    a.put(FIREMESH_DIRECTION, hop.direction().label());
    a.putIfNotEmpty(FIREMESH_SOURCE, hop.source());
    a.putIfNotEmpty(FIREMESH_DESTINATION, hop.destination());
    a.putIfNotEmpty(FIREMESH_ROUTE, hop.route());
    return a.build();
  }

  static boolean isError(HopOutcome hop) {
    if (!hop.errorType().isEmpty() || hop.statusCode() == 0) {
      return true;
    }
    boolean client = hop.direction().spanKind() == SpanKind.CLIENT;
    if (hop.statusCode() >= 500 || (client && hop.statusCode() >= 400)) {
      return true;
    }
    if (hop.isGrpc()) {
      return client ? hop.grpcStatus() != 0 : GrpcCodes.isError(hop.grpcStatus());
    }
    return false;
  }

  private static String errorType(HopOutcome hop) {
    if (!hop.errorType().isEmpty()) {
      return hop.errorType();
    }
    if (hop.isGrpc() && hop.grpcStatus() != 0) {
      return GrpcCodes.name(hop.grpcStatus());
    }
    return hop.statusCode() > 0 ? Integer.toString(hop.statusCode()) : "_OTHER";
  }
}
