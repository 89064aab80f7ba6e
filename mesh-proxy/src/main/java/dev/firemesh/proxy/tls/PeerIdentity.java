package dev.firemesh.proxy.tls;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.Optional;

/**
 * The caller's verified identity on an inbound connection: the SPIFFE ID in the certificate the
 * peer presented and the handshake verified. Set once, when the TLS handshake completes; absent on
 * a plaintext connection (only possible where the mode is permissive).
 */
public final class PeerIdentity {
  /** The peer's SPIFFE ID, as its certificate's URI SAN spells it. */
  public static final AttributeKey<String> KEY = AttributeKey.valueOf("firemesh.peer-identity");

  private PeerIdentity() {}

  public static Optional<String> of(Channel channel) {
    // A child HTTP/2 stream channel carries no attributes of its own: read the connection's.
    Channel connection = channel.parent() != null ? channel.parent() : channel;
    return Optional.ofNullable(connection.attr(KEY).get());
  }
}
