package dev.firemesh.proxy.tls;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.AttributeKey;
import java.util.Optional;

/**
 * The caller's verified identity on an inbound connection: the SPIFFE ID in the certificate the
 * peer presented and the handshake verified. Set once, when the TLS handshake completes; absent on
 * a plaintext connection (only possible where the mode is permissive). On a caller's connection to
 * an upstream, the identity the upstream proved.
 */
public final class PeerIdentity {
  /** The peer's SPIFFE ID, as its certificate's URI SAN spells it. */
  public static final AttributeKey<String> KEY = AttributeKey.valueOf("firemesh.peer-identity");

  /** The service of {@link #KEY}'s SPIFFE ID, kept apart so requests need not parse it. */
  public static final AttributeKey<String> SERVICE = AttributeKey.valueOf("firemesh.peer-service");

  private PeerIdentity() {}

  public static Optional<String> of(Channel channel) {
    return Optional.ofNullable(connection(channel).attr(KEY).get());
  }

  /** The verified peer's service name, if the connection is mTLS. */
  public static Optional<String> service(Channel channel) {
    return Optional.ofNullable(connection(channel).attr(SERVICE).get());
  }

  /** The connection {@code channel} belongs to: itself, or an HTTP/2 stream's parent. */
  public static Channel connection(Channel channel) {
    // An HTTP/2 stream channel carries no attributes of its own: read its connection's. (Only a
    // stream's parent: an accepted connection's parent is the listening socket.)
    return channel instanceof Http2StreamChannel stream ? stream.parent() : channel;
  }
}
