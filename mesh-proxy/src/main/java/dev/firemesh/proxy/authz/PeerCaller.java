package dev.firemesh.proxy.authz;

import dev.firemesh.proxy.tls.PeerIdentity;
import dev.firemesh.traffic.authz.Caller;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.Optional;

/**
 * The caller on a connection, parsed from its verified identity once and kept on the connection:
 * the identity is set when the handshake completes, before any request, and never changes.
 */
public final class PeerCaller {
  private static final AttributeKey<Caller> KEY = AttributeKey.valueOf("firemesh.peer-caller");

  private PeerCaller() {}

  /** The caller of {@code channel}'s connection (an HTTP/2 stream's is its parent's). */
  public static Caller of(Channel channel) {
    Channel connection = PeerIdentity.connection(channel);
    Caller cached = connection.attr(KEY).get();
    if (cached == null) {
      cached = Caller.of(Optional.ofNullable(connection.attr(PeerIdentity.KEY).get()));
      connection.attr(KEY).set(cached);
    }
    return cached;
  }
}
