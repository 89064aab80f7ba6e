package dev.firemesh.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Removes the headers that describe one connection rather than the message (RFC 9110 section
 * 7.6.1), before a message is sent on to the next hop: {@code Connection} and every field it names,
 * {@code Keep-Alive}, {@code Proxy-Connection}, {@code Upgrade}, {@code HTTP2-Settings}, and {@code
 * TE} except its {@code trailers} member. {@code Transfer-Encoding} stays: it is the framing the
 * codec re-encodes for the next hop. Also removed: the {@code x-http2-*} headers in which Netty's
 * HTTP/2 codec carries one hop's stream id and scheme; they describe a stream, not the message.
 */
public final class HopByHopHeaders {

  /**
   * Fields a {@code Connection} header may not remove: they frame the message or name its target,
   * so letting a caller strip them would change how the next hop parses the stream.
   */
  private static final Set<String> PROTECTED =
      Set.of("host", "content-length", "transfer-encoding");

  private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
  private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
  private static final AsciiString HTTP2_SETTINGS = AsciiString.cached("http2-settings");

  private HopByHopHeaders() {}

  /** Removes the {@code x-http2-*} headers of Netty's HTTP/2 to HTTP/1 conversion. */
  public static void stripStreamHeaders(HttpHeaders headers) {
    for (HttpConversionUtil.ExtensionHeaderNames name :
        HttpConversionUtil.ExtensionHeaderNames.values()) {
      headers.remove(name.text());
    }
  }

  public static void strip(HttpHeaders headers) {
    stripStreamHeaders(headers);
    if (headers.contains(HttpHeaderNames.CONNECTION)) {
      for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
        for (String token : value.split(",")) {
          String name = token.strip().toLowerCase(Locale.ROOT);
          if (!name.isEmpty() && !PROTECTED.contains(name)) {
            headers.remove(name);
          }
        }
      }
      headers.remove(HttpHeaderNames.CONNECTION);
    }
    headers.remove(KEEP_ALIVE);
    headers.remove(PROXY_CONNECTION);
    headers.remove(HttpHeaderNames.UPGRADE);
    headers.remove(HTTP2_SETTINGS);
    if (headers.contains(HttpHeaderNames.TE)) {
      boolean trailers = false;
      List<String> values = headers.getAll(HttpHeaderNames.TE);
      for (String value : values) {
        for (String token : value.split(",")) {
          String coding = token.strip();
          int params = coding.indexOf(';');
          if (params >= 0) {
            coding = coding.substring(0, params).strip();
          }
          trailers |= coding.equalsIgnoreCase("trailers");
        }
      }
      if (trailers) {
        headers.set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
      } else {
        headers.remove(HttpHeaderNames.TE);
      }
    }
  }
}
