package dev.firemesh.proxy.telemetry;

/** gRPC status codes by name (grpc/grpc doc/statuscodes.md), as the {@code grpc_code} label. */
final class GrpcCodes {
  static final String NONE = "none";

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

  /**
   * 0 for no status, 1 + the code for 0 to 16; a code outside the spec counts as UNKNOWN, as gRPC
   * clients take it, so the label's values stay the spec's.
   */
  static int index(int grpcStatus) {
    if (grpcStatus < 0) {
      return 0;
    }
    return 1 + (grpcStatus < NAMES.length ? grpcStatus : 2);
  }

  static String name(int grpcStatus) {
    return labelOf(index(grpcStatus));
  }

  static String labelOf(int index) {
    return index == 0 ? NONE : NAMES[index - 1];
  }

  static int count() {
    return NAMES.length + 1;
  }
}
