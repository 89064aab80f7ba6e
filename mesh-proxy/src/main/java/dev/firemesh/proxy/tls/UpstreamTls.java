package dev.firemesh.proxy.tls;

import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.identity.SvidRejectedException;
import dev.firemesh.identity.SvidVerifier;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caller's side of a mesh hop. An endpoint that has an expected identity (from EDS) is reached
 * over mTLS when this sidecar has credentials; once the handshake has verified the peer's SVID, the
 * SPIFFE ID it proves must equal the endpoint's, else the connection is closed before any request
 * went on it and the connect fails with an {@link UpstreamTlsException}, which the exchange treats
 * as a refused connect (another endpoint is tried). Without an identity or credentials, plaintext:
 * a strict peer refuses that, as intended.
 *
 * <p>Use: {@link #secure} in the connection's initializer (so that nothing, not even HTTP/2's
 * preface, is written in the clear), then {@link #ready} once the TCP connect succeeded.
 */
public final class UpstreamTls {
  private static final Logger log = LoggerFactory.getLogger(UpstreamTls.class);
  private static final AttributeKey<Handshake> HANDSHAKE =
      AttributeKey.valueOf("firemesh.upstream-handshake");

  /** What ALPN asks for: the protocol the connection will carry. */
  public enum Alpn {
    HTTP1,
    H2
  }

  /** Plaintext always: for tests and sidecars built without TLS. */
  public static final UpstreamTls PLAINTEXT = new UpstreamTls(new MeshTls(TlsProtocols.TLS_1_3));

  private final MeshTls tls;

  public UpstreamTls(MeshTls tls) {
    this.tls = tls;
  }

  /** Whether a connection to an endpoint with {@code identity} would be made over mTLS now. */
  public boolean applies(String identity) {
    return !identity.isEmpty() && tls.current().isPresent();
  }

  /**
   * Puts TLS at the head of {@code channel}'s pipeline if the endpoint has an identity and this
   * sidecar has credentials; else leaves the channel in plaintext. Call from the initializer.
   *
   * @param identity the SPIFFE ID the endpoint must prove, empty if none
   * @param cluster labels the failure counter
   */
  public void secure(
      Channel channel, Alpn alpn, String identity, String cluster, Duration handshakeTimeout) {
    if (identity.isEmpty()) {
      return;
    }
    var contexts = tls.current();
    if (contexts.isEmpty()) {
      return;
    }
    SslContext context = alpn == Alpn.H2 ? contexts.get().clientH2() : contexts.get().clientHttp1();
    SslHandler ssl = context.newHandler(channel.alloc());
    ssl.setHandshakeTimeoutMillis(Math.max(1, handshakeTimeout.toMillis()));
    channel.pipeline().addFirst("tls", ssl);
    channel.attr(HANDSHAKE).set(new Handshake(ssl, identity, cluster, tls.stats()));
  }

  /**
   * Completes with {@code channel} once it may carry requests: at once for plaintext, once the peer
   * proved the expected identity over TLS. Fails with an {@link UpstreamTlsException} (the channel
   * is closed) otherwise. Call once, after the TCP connect succeeded, on the channel's loop.
   */
  public static Future<Channel> ready(Channel channel) {
    Handshake handshake = channel.attr(HANDSHAKE).getAndSet(null);
    if (handshake == null) {
      return channel.eventLoop().newSucceededFuture(channel);
    }
    return handshake.verified(channel);
  }

  private record Handshake(SslHandler ssl, String identity, String cluster, TlsStats stats) {

    Future<Channel> verified(Channel channel) {
      Promise<Channel> verified = channel.eventLoop().newPromise();
      ssl.handshakeFuture()
          .addListener(
              done -> {
                if (!done.isSuccess()) {
                  HandshakeFailure failure = HandshakeFailure.of(done.cause());
                  refuse(channel, verified, failure, describe(done.cause()), done.cause());
                  return;
                }
                SpiffeId peer;
                try {
                  peer = peerIdentity(ssl);
                } catch (SSLPeerUnverifiedException | SvidRejectedException e) {
                  refuse(channel, verified, HandshakeFailure.of(e), e.getMessage(), e);
                  return;
                }
                if (!peer.toString().equals(identity)) {
                  refuse(
                      channel,
                      verified,
                      HandshakeFailure.WRONG_IDENTITY,
                      "the peer proved " + peer + ", the endpoint must be " + identity,
                      null);
                  return;
                }
                stats.succeeded(TlsStats.Side.OUTBOUND);
                channel.attr(PeerIdentity.KEY).set(identity);
                verified.trySuccess(channel);
              });
      return verified;
    }

    private void refuse(
        Channel channel,
        Promise<Channel> verified,
        HandshakeFailure failure,
        String why,
        Throwable cause) {
      stats.upstreamFailed(cluster, failure);
      log.debug(
          "upstream mTLS refused cluster={} peer={} reason={}: {}",
          cluster,
          channel.remoteAddress(),
          failure.label(),
          why);
      // Failed first: whoever waits learns the reason before the close is noticed.
      verified.tryFailure(
          new UpstreamTlsException(
              failure,
              "mTLS with " + channel.remoteAddress() + " failed (" + failure.label() + "): " + why,
              cause));
      channel.close();
    }
  }

  static SpiffeId peerIdentity(SslHandler ssl)
      throws SSLPeerUnverifiedException, SvidRejectedException {
    Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      throw new SSLPeerUnverifiedException("the peer presented no X.509 certificate");
    }
    return SvidVerifier.identityOf(leaf);
  }

  private static String describe(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.toString();
  }
}
