package dev.firemesh.proxy.testing;

import java.io.InputStream;
import java.util.zip.CRC32;

/**
 * A body of any size made on the fly from its length alone, never held: the byte at position {@code
 * p} is a hash of {@code p}, so sender and receiver agree without sharing anything.
 */
public final class GeneratedBody extends InputStream {
  private final long size;
  private long position;
  private final CRC32 crc = new CRC32();

  public GeneratedBody(long size) {
    this.size = size;
  }

  static byte at(long position) {
    return (byte) ((position * 0x9E3779B97F4A7C15L) >>> 56);
  }

  public static void fill(byte[] buffer, int offset, int length, long position) {
    for (int i = 0; i < length; i++) {
      buffer[offset + i] = at(position + i);
    }
  }

  /** The CRC-32 of a whole body of {@code size} bytes. */
  public static long crc(long size) {
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[64 * 1024];
    for (long p = 0; p < size; p += buffer.length) {
      int n = (int) Math.min(buffer.length, size - p);
      fill(buffer, 0, n, p);
      crc.update(buffer, 0, n);
    }
    return crc.getValue();
  }

  @Override
  public int read() {
    if (position >= size) {
      return -1;
    }
    byte b = at(position++);
    crc.update(b);
    return b & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) {
    if (position >= size) {
      return -1;
    }
    int n = (int) Math.min(length, size - position);
    fill(buffer, offset, n, position);
    crc.update(buffer, offset, n);
    position += n;
    return n;
  }

  /** The CRC-32 of what was read so far. */
  public long crcSoFar() {
    return crc.getValue();
  }
}
