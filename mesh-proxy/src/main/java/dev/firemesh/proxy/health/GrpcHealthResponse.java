package dev.firemesh.proxy.health;

/**
 * Reads {@code grpc.health.v1.HealthCheckResponse} (one field: {@code status = 1}, an enum) from
 * its protobuf encoding without generated code: walk the fields, take field 1's varint, skip any
 * other field. An absent status is UNKNOWN (0), as in protobuf.
 */
final class GrpcHealthResponse {
  private GrpcHealthResponse() {}

  /** The status in {@code bytes[from, to)}; -1 if the bytes are not a well-formed message. */
  static int status(byte[] bytes, int from, int to) {
    int status = 0;
    int[] at = {from};
    while (at[0] < to) {
      long tag = varint(bytes, at, to);
      if (tag < 0) {
        return -1;
      }
      int field = (int) (tag >>> 3);
      int wireType = (int) (tag & 7);
      switch (wireType) {
        case 0 -> {
          long value = varint(bytes, at, to);
          if (value < 0) {
            return -1;
          }
          if (field == 1) {
            status = (int) value;
          }
        }
        case 1 -> at[0] += 8;
        case 2 -> {
          long length = varint(bytes, at, to);
          if (length < 0 || length > to - at[0]) {
            return -1;
          }
          at[0] += (int) length;
        }
        case 5 -> at[0] += 4;
        default -> {
          return -1;
        }
      }
      if (at[0] > to) {
        return -1;
      }
    }
    return status;
  }

  /** A base-128 varint at {@code at[0]}, advancing it; -1 if truncated or longer than 64 bits. */
  private static long varint(byte[] bytes, int[] at, int to) {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at[0] >= to) {
        return -1;
      }
      byte b = bytes[at[0]++];
      value |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return value;
      }
    }
    return -1;
  }
}
