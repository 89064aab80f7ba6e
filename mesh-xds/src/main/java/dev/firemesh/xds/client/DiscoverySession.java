package dev.firemesh.xds.client;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client's life with the control plane, fail static: one discovery stream at a time over an
 * {@link XdsConnection}, opened again with {@link Backoff} whenever it ends, until closed. It drops
 * what arrives on a stream it has replaced and what arrives after close; what the client asks for
 * and does with the answers is the client's ({@link Client}). {@link AdsClient} and the chassis's
 * RTDS feed each run one.
 *
 * <p>All of it runs on the connection's protocol thread, which owns the state below.
 */
public final class DiscoverySession {

  /** The client's side; every method is called on the protocol thread. */
  public interface Client {
    /**
     * Starts the discovery call on {@code channel} with {@code stream} and sends the first
     * requests.
     */
    void open(ManagedChannel channel, DiscoveryStream stream);

    /** The server answered on a new stream for the first time; {@code again} after the first. */
    void established(boolean again);

    /** A response on the current stream. */
    void onResponse(DiscoveryStream stream, DiscoveryResponse response);

    /**
     * The current stream ended; a new one opens in {@code retryIn}.
     *
     * @param answered whether the server had answered on it (a lost stream, not a failed attempt)
     */
    void lost(Status cause, boolean answered, Duration retryIn);

    /** The session closed: no stream is open and none will be. */
    void closed();
  }

  private final XdsConnection connection;
  private final Backoff backoff;
  private final Client client;
  private final AtomicBoolean closing = new AtomicBoolean();

  // Owned by the protocol thread.
  private DiscoveryStream stream;
  private ScheduledFuture<?> reconnect;
  private boolean closed;
  private boolean everConnected;

  public DiscoverySession(XdsConnection connection, Backoff backoff, Client client) {
    this.connection = Objects.requireNonNull(connection, "connection");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.client = Objects.requireNonNull(client, "client");
  }

  /** Opens the first stream, on the protocol thread; returns at once. */
  public void start() {
    connection.protocol().execute(this::open);
  }

  /**
   * Ends the stream, stops reconnecting and closes the connection ({@link XdsConnection#close});
   * the client hears {@link Client#closed()} on the protocol thread first. Later calls do nothing.
   */
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    connection.close(
        () -> {
          closed = true;
          if (reconnect != null) {
            reconnect.cancel(false);
          }
          if (stream != null) {
            stream.cancel();
            stream = null;
          }
          client.closed();
        });
  }

  private void open() {
    reconnect = null;
    if (closed) {
      return;
    }
    // gRPC's own reconnect back-off grows to minutes; ours is the one that should govern.
    connection.channel().resetConnectBackoff();
    DiscoveryStream next = new DiscoveryStream(this::onResponse, this::onEnd);
    stream = next;
    client.open(connection.channel(), next);
  }

  private void onResponse(DiscoveryStream from, DiscoveryResponse response) {
    if (from != stream || closed) {
      return;
    }
    if (from.markAnswered()) {
      backoff.reset();
      client.established(everConnected);
      everConnected = true;
    }
    client.onResponse(from, response);
  }

  private void onEnd(DiscoveryStream from, Status cause) {
    // closing: close() has begun, and gRPC may end the stream on this thread before close()'s own
    // task runs; a reconnect then would be scheduled on an executor that is shutting down.
    if (from != stream || closed || closing.get()) {
      return;
    }
    stream = null;
    Duration delay = backoff.next();
    client.lost(cause, from.answered(), delay);
    reconnect = connection.protocol().schedule(this::open, delay.toNanos(), TimeUnit.NANOSECONDS);
  }
}
