package dev.firemesh.telemetry.trace;

/**
 * gRPC status codes by number, without depending on grpc-java: the mesh's one list of their names
 * and of which count as errors (spans here, golden metrics in the sidecar).
 */
public final class GrpcCodes {
  /** How many codes gRPC defines: 0 (OK) to 16 (UNAUTHENTICATED). */
  public static final int DEFINED = 17;

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

  /** The code's name ({@code UNAVAILABLE}); the number itself for a code gRPC does not define. */
  public static String name(int code) {
    return code >= 0 && code < NAMES.length ? NAMES[code] : Integer.toString(code);
  }

  /**
   * The server-side errors of the mesh (and of OpenTelemetry's RPC conventions for SERVER spans):
   * UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS. The others are the
   * caller's problem (bad argument, not found, denied) or its choice (cancelled).
   */
  public static boolean isError(int code) {
    return switch (code) {
      case 2, 4, 12, 13, 14, 15 -> true;
      default -> code >= NAMES.length; // not a code gRPC defines: clients read it as UNKNOWN
    };
  }
}
