package dev.firemesh.telemetry.trace;

/** gRPC status codes by number, without depending on grpc-java. */
final class GrpcCodes {
  private static final String[] NAMES = {
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED"
  };

  private GrpcCodes() {}

  static String name(int code) {
    return code >= 0 && code < NAMES.length ? NAMES[code] : Integer.toString(code);
  }

  /**
   * The server-side errors of the mesh (and of OpenTelemetry's RPC conventions for SERVER spans):
   * UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS. The others are the
   * caller's problem (bad argument, not found, denied) or its choice (cancelled).
   */
  static boolean isError(int code) {
    return switch (code) {
      case 2, 4, 12, 13, 14, 15 -> true;
      default -> code >= NAMES.length; // not a code gRPC defines: clients read it as UNKNOWN
    };
  }
}
