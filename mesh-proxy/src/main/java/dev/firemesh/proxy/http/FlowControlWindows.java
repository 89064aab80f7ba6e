package dev.firemesh.proxy.http;

/**
 * HTTP/2 receive windows the sidecar grants its peers (callers and upstreams alike). They bound
 * what it buffers: a stream whose receiving side is slow stops returning window, so the sender
 * stops after at most {@code stream} bytes, and all streams of a connection together hold at most
 * {@code connection} bytes unread.
 *
 * @param stream each stream's window (SETTINGS_INITIAL_WINDOW_SIZE)
 * @param connection the connection-level window; larger than a stream's so that a few stalled
 *     streams do not stop the others on their connection
 */
public record FlowControlWindows(int stream, int connection) {

  /** 64 KiB per stream (the protocol's default), 4 MiB per connection. */
  public static final FlowControlWindows DEFAULT = new FlowControlWindows(65_535, 4 * 1024 * 1024);

  /** The protocol's initial connection window, before any WINDOW_UPDATE. */
  public static final int INITIAL_CONNECTION_WINDOW = 65_535;

  public FlowControlWindows {
    if (stream < 1 || connection < INITIAL_CONNECTION_WINDOW) {
      throw new IllegalArgumentException(
          "windows must be positive and the connection window at least 65535: "
              + stream
              + ", "
              + connection);
    }
  }

  /** What a WINDOW_UPDATE on stream 0 must add to reach {@link #connection()}. */
  public int connectionIncrement() {
    return connection - INITIAL_CONNECTION_WINDOW;
  }
}
