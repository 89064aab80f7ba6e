package dev.firemesh.proxy.mirror;

import dev.firemesh.proxy.forward.Target;
import dev.firemesh.proxy.stats.ProxyStats;
import dev.firemesh.proxy.upstream.ConnectCallback;
import dev.firemesh.proxy.upstream.ResponseListener;
import dev.firemesh.proxy.upstream.UpstreamConnection;
import dev.firemesh.proxy.upstream.UpstreamPool;
import dev.firemesh.proxy.upstream.UpstreamProtocol;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One whole copy sent to a mirror endpoint on a connection of its own (a pooled idle one, or a new
 * one), and its response read and discarded. Fire and forget: it reports to nobody but the
 * counters, and it is abandoned (connection closed) if the response has not ended within the
 * timeout. It runs on the caller's event loop, as the primary exchange does, and never touches the
 * caller's channel.
 */
final class ShadowExchange implements ConnectCallback, ResponseListener {
  private final PendingCopy copy;
  private final MirrorSettings settings;
  private final MirrorBudget budget;
  private final ProxyStats stats;
  private UpstreamPool pool;
  private UpstreamConnection connection;
  private ScheduledFuture<?> deadline;
  private boolean keepAlive;
  private boolean interim;
  private boolean done;

  ShadowExchange(PendingCopy copy, MirrorSettings settings, MirrorBudget budget, ProxyStats stats) {
    this.copy = copy;
    this.settings = settings;
    this.budget = budget;
    this.stats = stats;
  }

  /** Sends the copy through {@code pool}, the caller's event loop's. */
  void start(UpstreamPool pool, Target target) {
    this.pool = pool;
    if (target.protocol() == UpstreamProtocol.HTTP2) {
      pool.openStream(target.address(), target.connectTimeout(), target.idleTimeout(), this);
      return;
    }
    Optional<UpstreamConnection> idle = pool.reuse(target.address());
    if (idle.isPresent()) {
      connected(idle.get());
    } else {
      pool.connect(target.address(), target.connectTimeout(), target.idleTimeout(), this);
    }
  }

  @Override
  public void connected(UpstreamConnection upstream) {
    if (done) {
      pool.release(upstream, true);
      return;
    }
    connection = upstream;
    Channel channel = upstream.channel();
    if (!channel.isWritable()) {
      // A shadow that cannot take more now gets no more: the copy is dropped, not queued.
      finish(false);
      stats.mirrorDropped();
      return;
    }
    upstream.bind(this);
    List<HttpObject> pieces = copy.take();
    for (HttpObject piece : pieces) {
      channel.write(piece, channel.voidPromise());
    }
    channel.flush();
    stats.mirrorSent();
    deadline =
        channel
            .eventLoop()
            .schedule(this::timedOut, settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void connectFailed(Throwable cause) {
    if (done) {
      return;
    }
    stats.mirrorFailed();
    finish(false);
  }

  @Override
  public void onResponse(HttpObject message) {
    boolean last = message instanceof LastHttpContent;
    if (message instanceof HttpResponse response) {
      interim = response.status().code() < 200;
      keepAlive = HttpUtil.isKeepAlive(response);
    }
    ReferenceCountUtil.release(message);
    if (!last || done) {
      return;
    }
    if (interim) {
      interim = false; // 100 Continue's end: the real response follows
      return;
    }
    finish(keepAlive);
  }

  @Override
  public void onUpstreamReadComplete() {}

  @Override
  public void onUpstreamWritabilityChanged(boolean writable) {}

  @Override
  public void onUpstreamClosed(Optional<Throwable> cause) {
    connection = null;
    if (!done) {
      stats.mirrorFailed();
      finish(false);
    }
  }

  private void timedOut() {
    if (!done) {
      stats.mirrorFailed();
      finish(false);
    }
  }

  private void finish(boolean reusable) {
    done = true;
    budget.release();
    copy.release();
    if (deadline != null) {
      deadline.cancel(false);
    }
    if (connection != null) {
      UpstreamConnection upstream = connection;
      connection = null;
      pool.release(upstream, reusable);
    }
  }
}
