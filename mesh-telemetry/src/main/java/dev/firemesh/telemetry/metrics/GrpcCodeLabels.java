package dev.firemesh.telemetry.metrics;

/** gRPC status codes as the {@code grpc_code} label: a slot per code, and one for none. */
public final class GrpcCodeLabels {
  public static final String NONE = "none";

  private GrpcCodeLabels() {}

  /**
   * 0 for no status, 1 + the code for 0 to 16; a code outside the spec counts as UNKNOWN, as gRPC
   * clients take it, so the label's values stay the spec's.
   */
  public static int index(int grpcStatus) {
    if (grpcStatus < 0) {
      return 0;
    }
    return 1 + (grpcStatus < dev.firemesh.telemetry.trace.GrpcCodes.DEFINED ? grpcStatus : 2);
  }

  public static String name(int grpcStatus) {
    return labelOf(index(grpcStatus));
  }

  public static String labelOf(int index) {
    return index == 0 ? NONE : dev.firemesh.telemetry.trace.GrpcCodes.name(index - 1);
  }

  public static int count() {
    return dev.firemesh.telemetry.trace.GrpcCodes.DEFINED + 1;
  }
}
