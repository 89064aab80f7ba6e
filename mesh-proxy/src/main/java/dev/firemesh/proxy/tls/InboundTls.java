package dev.firemesh.proxy.tls;

import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.identity.SvidRejectedException;
import dev.firemesh.traffic.config.InboundPolicy.MtlsMode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The head of the inbound listener's pipeline: decides, per connection, between mTLS and plaintext
 * by the mode of the service's inbound policy and the first bytes, then replaces itself.
 *
 * <ul>
 *   <li>STRICT: a TLS record gets the TLS handler (client certificate required, verified as an SVID
 *       of the bundle); anything else is closed and counted ({@code plaintext}); without
 *       credentials every connection is closed ({@code no_credentials}, logged once).
 *   <li>PERMISSIVE: a TLS record gets the TLS handler, anything else goes on in plaintext, so a
 *       mesh can move to mTLS one sidecar at a time. Without credentials, plaintext only.
 * </ul>
 *
 * Once a handshake completes, the peer's SPIFFE ID is set as {@link PeerIdentity#KEY} on the
 * connection; a failed handshake closes it and is counted by reason. HTTP/1.1, HTTP/2 and tunnels
 * ride above this alike.
 */
public final class InboundTls extends ByteToMessageDecoder {
  private static final Logger log = LoggerFactory.getLogger(InboundTls.class);

  /** A TLS record header: content type, version, length. */
  private static final int RECORD_HEADER_BYTES = 5;

  private final MeshTls tls;
  private final Supplier<MtlsMode> mode;
  private final AtomicBoolean warnedNoCredentials;

  /**
   * @param mode the mode of this sidecar's service's inbound policy now
   * @param warnedNoCredentials shared by the listener's connections, so the warning is logged once
   */
  public InboundTls(MeshTls tls, Supplier<MtlsMode> mode, AtomicBoolean warnedNoCredentials) {
    this.tls = tls;
    this.mode = mode;
    this.warnedNoCredentials = warnedNoCredentials;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (mode.get() == MtlsMode.STRICT && tls.current().isEmpty()) {
      if (warnedNoCredentials.compareAndSet(false, true)) {
        log.warn(
            "inbound mTLS is STRICT but this sidecar has no credentials: every peer is refused"
                + " until it gets an SVID");
      }
      tls.stats().failed(TlsStats.Side.INBOUND, HandshakeFailure.NO_CREDENTIALS);
      ctx.close();
      return;
    }
    super.channelActive(ctx);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (in.readableBytes() < RECORD_HEADER_BYTES) {
      return;
    }
    MtlsMode now = mode.get();
    var contexts = tls.current();
    boolean record = SslHandler.isEncrypted(in, false);
    if (record && contexts.isPresent()) {
      SslHandler ssl = contexts.get().server().newHandler(ctx.alloc());
      ctx.pipeline().addAfter(ctx.name(), "peer", new PeerIdentityStamp(tls.stats()));
      ctx.pipeline().replace(this, "tls", ssl); // what was read is passed on to it
      return;
    }
    if (now == MtlsMode.STRICT) {
      HandshakeFailure failure =
          contexts.isEmpty() ? HandshakeFailure.NO_CREDENTIALS : HandshakeFailure.PLAINTEXT;
      tls.stats().failed(TlsStats.Side.INBOUND, failure);
      log.debug(
          "inbound refused peer={} reason={}", ctx.channel().remoteAddress(), failure.label());
      in.skipBytes(in.readableBytes());
      ctx.close();
      return;
    }
    ctx.pipeline().remove(this); // plaintext: the bytes go on to the protocol selectors
  }

  /** Sets the verified peer's identity once the handshake is done; counts the outcome. */
  static final class PeerIdentityStamp extends ChannelInboundHandlerAdapter {
    private final TlsStats stats;
    private boolean counted;

    PeerIdentityStamp(TlsStats stats) {
      this.stats = stats;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof SslHandshakeCompletionEvent done) {
        if (done.isSuccess()) {
          stamp(ctx);
        } else {
          failed(ctx, done.cause());
        }
        return;
      }
      ctx.fireUserEventTriggered(evt);
    }

    private void stamp(ChannelHandlerContext ctx) {
      SslHandler ssl = ctx.pipeline().get(SslHandler.class);
      SpiffeId peer;
      try {
        peer = UpstreamTls.peerIdentity(ssl);
      } catch (SSLPeerUnverifiedException | SvidRejectedException e) {
        failed(ctx, e); // cannot happen with a client certificate required and verified
        return;
      }
      ctx.channel().attr(PeerIdentity.KEY).set(peer.toString());
      ctx.channel().attr(PeerIdentity.SERVICE).set(peer.service());
      counted = true;
      stats.succeeded(TlsStats.Side.INBOUND);
      ctx.pipeline().remove(this);
    }

    private void failed(ChannelHandlerContext ctx, Throwable cause) {
      if (!counted) {
        counted = true;
        HandshakeFailure failure = HandshakeFailure.of(cause);
        stats.failed(TlsStats.Side.INBOUND, failure);
        log.debug(
            "inbound mTLS refused peer={} reason={}: {}",
            ctx.channel().remoteAddress(),
            failure.label(),
            cause.toString());
      }
      ctx.close();
    }

    /** A failed handshake is reported here too; it is the connection's end, not news for others. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      failed(ctx, cause);
    }
  }
}
