package dev.firemesh.xds.translate;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Versions derived from content: the first 64 bits of a SHA-256, in hex. Equal content gives equal
 * versions across runs and control-plane replicas, so a restart or fail-over re-sends nothing.
 */
final class ContentHash {
  private static final int HEX_CHARS = 16;

  private ContentHash() {}

  /** Hashes the message's deterministic serialization (map entries sorted by key). */
  static String of(Message message) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(message.getSerializedSize());
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.useDeterministicSerialization();
    try {
      message.writeTo(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("serializing to memory cannot fail", e);
    }
    return hex(sha256().digest(bytes.toByteArray()));
  }

  /** Hashes text, such as a list of names and versions. */
  static String of(String text) {
    return hex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest).substring(0, HEX_CHARS);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }
}
