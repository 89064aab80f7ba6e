package dev.firemesh.chassis.events.subscription;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which partition a stream's events go to: the first 32 bits of the MD5 of its id, unsigned, mod
 * the partition count. MD5 because PostgreSQL and Java compute it alike on every version (unlike
 * {@code hashtext}), so readers filter in SQL and tools compute the same in Java.
 */
final class Partitioning {
  /** The partition of column {@code stream_id}, given the count as the next parameter. */
  static final String SQL =
      "mod(('x' || '00000000' || substr(md5(stream_id), 1, 8))::bit(64)::bigint, ?)";

  private Partitioning() {}

  static int of(String streamId, int partitions) {
    try {
      byte[] md5 =
          MessageDigest.getInstance("MD5").digest(streamId.getBytes(StandardCharsets.UTF_8));
      long first32 =
          ((md5[0] & 0xffL) << 24)
              | ((md5[1] & 0xffL) << 16)
              | ((md5[2] & 0xffL) << 8)
              | (md5[3] & 0xffL);
      return (int) (first32 % partitions);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has MD5", e);
    }
  }
}
