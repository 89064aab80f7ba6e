package dev.firemesh.proxy.http;

import io.netty.handler.codec.http.HttpDecoderConfig;

/**
 * Bounds on what a caller may send in a request head, the largest body piece the decoder hands on
 * at once, and how many requests an HTTP/2 connection may have in flight. For HTTP/2 the header
 * block limit is the header list size (SETTINGS_MAX_HEADER_LIST_SIZE, answered 431 past it), and
 * the request line has no separate limit (it is part of the header list).
 *
 * @param maxRequestLineBytes longer request lines are refused with 414
 * @param maxHeaderBytes a larger header block (all field lines together) is refused with 431
 * @param maxHeaders more header fields than this are refused with 431
 * @param maxChunkBytes body bytes are passed on in pieces of at most this size
 * @param maxConcurrentStreams requests one HTTP/2 connection may have in flight at once
 *     (SETTINGS_MAX_CONCURRENT_STREAMS); a client queues the rest
 */
public record HttpLimits(
    int maxRequestLineBytes,
    int maxHeaderBytes,
    int maxHeaders,
    int maxChunkBytes,
    int maxConcurrentStreams) {

  public static final HttpLimits DEFAULT =
      new HttpLimits(8 * 1024, 32 * 1024, 100, 64 * 1024, 1024);

  public HttpLimits {
    requirePositive(maxRequestLineBytes, "maxRequestLineBytes");
    requirePositive(maxHeaderBytes, "maxHeaderBytes");
    requirePositive(maxHeaders, "maxHeaders");
    requirePositive(maxChunkBytes, "maxChunkBytes");
    requirePositive(maxConcurrentStreams, "maxConcurrentStreams");
  }

  private static void requirePositive(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }

  /**
   * The strictest decoder Netty offers: CRLF only, header names and values validated, one
   * Content-Length, no Content-Length beside Transfer-Encoding, chunked last.
   */
  HttpDecoderConfig decoderConfig() {
    return new HttpDecoderConfig()
        .setMaxInitialLineLength(maxRequestLineBytes)
        .setMaxHeaderSize(maxHeaderBytes)
        .setMaxChunkSize(maxChunkBytes)
        .setValidateHeaders(true)
        .setStrictLineParsing(true)
        .setAllowDuplicateContentLengths(false)
        .setUseRfc9112TransferEncoding(true);
  }
}
