package dev.firemesh.traffic.balance;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * XXH64 (Yann Collet's xxHash, 64-bit), the hash Envoy's ring hash uses: fast, well mixed, and the
 * same on every platform, so a sidecar and a proxyless chassis put a key on the same endpoint.
 */
public final class XxHash64 {
  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;
  private static final long P4 = 0x85EBCA77C2B2AE63L;
  private static final long P5 = 0x27D4EB2F165667C5L;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private XxHash64() {}

  /** The hash of the string's UTF-8 bytes with seed 0. */
  public static long hash(String text) {
    return hash(text.getBytes(StandardCharsets.UTF_8), 0);
  }

  static long hash(byte[] input, long seed) {
    int length = input.length;
    int i = 0;
    long h;
    if (length >= 32) {
      long v1 = seed + P1 + P2;
      long v2 = seed + P2;
      long v3 = seed;
      long v4 = seed - P1;
      for (; i <= length - 32; i += 32) {
        v1 = round(v1, (long) LONGS.get(input, i));
        v2 = round(v2, (long) LONGS.get(input, i + 8));
        v3 = round(v3, (long) LONGS.get(input, i + 16));
        v4 = round(v4, (long) LONGS.get(input, i + 24));
      }
      h =
          Long.rotateLeft(v1, 1)
              + Long.rotateLeft(v2, 7)
              + Long.rotateLeft(v3, 12)
              + Long.rotateLeft(v4, 18);
      h = merge(h, v1);
      h = merge(h, v2);
      h = merge(h, v3);
      h = merge(h, v4);
    } else {
      h = seed + P5;
    }
    h += length;
    for (; i + 8 <= length; i += 8) {
      h ^= round(0, (long) LONGS.get(input, i));
      h = Long.rotateLeft(h, 27) * P1 + P4;
    }
    if (i + 4 <= length) {
      h ^= (((int) INTS.get(input, i)) & 0xFFFF_FFFFL) * P1;
      h = Long.rotateLeft(h, 23) * P2 + P3;
      i += 4;
    }
    for (; i < length; i++) {
      h ^= (input[i] & 0xFFL) * P5;
      h = Long.rotateLeft(h, 11) * P1;
    }
    h ^= h >>> 33;
    h *= P2;
    h ^= h >>> 29;
    h *= P3;
    h ^= h >>> 32;
    return h;
  }

  private static long round(long accumulator, long input) {
    return Long.rotateLeft(accumulator + input * P2, 31) * P1;
  }

  private static long merge(long accumulator, long lane) {
    return (accumulator ^ round(0, lane)) * P1 + P4;
  }
}
