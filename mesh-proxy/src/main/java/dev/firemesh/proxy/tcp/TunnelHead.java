package dev.firemesh.proxy.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The head that opens a tunnel, and the head that answers it: HTTP/1.1 {@code CONNECT} in authority
 * form, naming the service and the port by name rather than number (the caller does not know, and
 * need not know, where the peer's application listens):
 *
 * <pre>
 * CONNECT db:fix HTTP/1.1          HTTP/1.1 200 Connection Established
 * Host: db:fix
 * x-firemesh-tunnel: tcp
 * </pre>
 *
 * A failure is {@code 404} (no such tcp port) or {@code 503} (the application is not there) with a
 * one-line text body, and the connection closes. Heads are at most {@link #MAX_BYTES}.
 *
 * @param startLine the request line or the status line
 * @param headers header lines, as sent
 */
record TunnelHead(String startLine, List<String> headers) {

  static final int MAX_BYTES = 8 * 1024;
  static final String TUNNEL_HEADER = "x-firemesh-tunnel";
  private static final byte[] END = {'\r', '\n', '\r', '\n'};

  TunnelHead {
    headers = List.copyOf(headers);
  }

  /** The request a caller's sidecar sends; {@code port} empty lets the peer pick the tcp port. */
  static ByteBuf request(ByteBufAllocator alloc, String service, String port) {
    String authority = port.isEmpty() ? service : service + ":" + port;
    return ascii(
        alloc,
        "CONNECT "
            + authority
            + " HTTP/1.1\r\nHost: "
            + authority
            + "\r\n"
            + TUNNEL_HEADER
            + ": tcp\r\n\r\n");
  }

  static ByteBuf established(ByteBufAllocator alloc) {
    return ascii(alloc, "HTTP/1.1 200 Connection Established\r\n\r\n");
  }

  /** A refusal; the connection closes after it. */
  static ByteBuf refusal(ByteBufAllocator alloc, int status, String reason, String message) {
    String body = message + "\n";
    return ascii(
        alloc,
        "HTTP/1.1 "
            + status
            + " "
            + reason
            + "\r\nContent-Type: text/plain\r\nContent-Length: "
            + body.getBytes(StandardCharsets.UTF_8).length
            + "\r\nConnection: close\r\n\r\n"
            + body);
  }

  private static ByteBuf ascii(ByteBufAllocator alloc, String text) {
    return ByteBufUtil.writeUtf8(alloc, text);
  }

  /**
   * Reads a whole head from {@code in} if it holds one, leaving what follows it unread.
   *
   * @throws IllegalArgumentException if {@code in} holds more than {@link #MAX_BYTES} with no end
   *     of head, or the head is not ASCII text
   */
  static Optional<TunnelHead> read(ByteBuf in) {
    int end = ByteBufUtil.indexOf(in, in.readerIndex(), in.writerIndex(), END[0]);
    while (end >= 0) {
      if (end + END.length <= in.writerIndex() && matchesEnd(in, end)) {
        break;
      }
      end = ByteBufUtil.indexOf(in, end + 1, in.writerIndex(), END[0]);
    }
    if (end < 0) {
      if (in.readableBytes() > MAX_BYTES) {
        throw new IllegalArgumentException("head longer than " + MAX_BYTES + " bytes");
      }
      return Optional.empty();
    }
    if (end - in.readerIndex() > MAX_BYTES) {
      throw new IllegalArgumentException("head longer than " + MAX_BYTES + " bytes");
    }
    String text = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.US_ASCII);
    in.readerIndex(end + END.length);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c > 0x7e || (c < 0x20 && c != '\r' && c != '\n' && c != '\t')) {
        throw new IllegalArgumentException("head is not ASCII text");
      }
    }
    String[] lines = text.split("\r\n", -1);
    List<String> headers = new ArrayList<>(lines.length - 1);
    for (int i = 1; i < lines.length; i++) {
      headers.add(lines[i]);
    }
    return Optional.of(new TunnelHead(lines[0], headers));
  }

  private static boolean matchesEnd(ByteBuf in, int at) {
    for (int i = 0; i < END.length; i++) {
      if (in.getByte(at + i) != END[i]) {
        return false;
      }
    }
    return true;
  }

  /** The status code of a status line; -1 if this is not one. */
  int status() {
    String[] parts = startLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      return -1;
    }
    try {
      return Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The authority of a {@code CONNECT ... HTTP/1.1} request line, if this is one. */
  Optional<String> connectAuthority() {
    String[] parts = startLine.split(" ", -1);
    if (parts.length != 3 || !parts[0].equals("CONNECT") || !parts[2].equals("HTTP/1.1")) {
      return Optional.empty();
    }
    return parts[1].isEmpty() ? Optional.empty() : Optional.of(parts[1]);
  }

  /** The value of the first header named {@code name} (case-insensitive). */
  Optional<String> header(String name) {
    String prefix = name.toLowerCase(Locale.ROOT) + ":";
    for (String line : headers) {
      if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
        return Optional.of(line.substring(prefix.length()).strip());
      }
    }
    return Optional.empty();
  }
}
