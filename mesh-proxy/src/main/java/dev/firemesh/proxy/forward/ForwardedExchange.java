package dev.firemesh.proxy.forward;

import dev.firemesh.proxy.http.ForwardingHeaders;
import dev.firemesh.proxy.http.GrpcStatus;
import dev.firemesh.proxy.http.HopByHopHeaders;
import dev.firemesh.proxy.http.LocalReply;
import dev.firemesh.proxy.http.RequestHead;
import dev.firemesh.proxy.telemetry.ResponseFlag;
import dev.firemesh.proxy.upstream.ConnectCallback;
import dev.firemesh.proxy.upstream.ResponseListener;
import dev.firemesh.proxy.upstream.StreamResetException;
import dev.firemesh.proxy.upstream.UpstreamConnection;
import dev.firemesh.proxy.upstream.UpstreamProtocol;
import dev.firemesh.traffic.circuit.Limit;
import dev.firemesh.traffic.deadline.DeadlineHeaders;
import dev.firemesh.traffic.route.Outcome;
import dev.firemesh.traffic.stats.ClusterStats;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One request forwarded upstream and its response streamed back. Body pieces are passed on as they
 * arrive, never gathered; when the receiving side stops being writable, reads from the sending side
 * pause until it drains. For HTTP/2 on either side the "side" is one stream: pausing its reads
 * stops returning flow-control window, so only that stream's sender waits.
 *
 * <p>Until the first response byte, copies of what was sent (sharing the buffers, up to {@link
 * ForwardSettings#resendBufferBytes()}) are kept so that the request can be sent once more on a
 * fresh connection when a reused connection closes first (see {@link ResendPolicy}), or when an
 * HTTP/2 upstream says it never processed the stream ({@code REFUSED_STREAM}, or {@code GOAWAY}),
 * which is safe whatever the method.
 *
 * <p>The exchange also enforces its {@link ExchangePolicy}: the deadline (a timer that answers 504,
 * or DEADLINE_EXCEEDED, when it passes before the response ends; every try carries the time left in
 * {@code x-firemesh-timeout-ms}, and {@code grpc-timeout} for gRPC, so the next sidecar enforces it
 * too), the per-try timeout (until the response head), retries (while the copies are kept: a failed
 * try whose condition the route retries on, for a request safe to repeat, goes after a jittered
 * back-off to another endpoint if the cluster's retry budget allows), an injected delay, and the
 * cluster's pending-request and connection limits. Each try's outcome is handed to its endpoint's
 * lease, for outlier detection, and counted in the cluster's {@link ClusterStats}.
 */
final class ForwardedExchange implements ActiveExchange, ResponseListener, ConnectCallback {

  private final ExchangeHandler handler;
  private final RequestHead head;
  private Target target;
  private final Reroute reroute;
  private final ChannelHandlerContext downstream;
  private final boolean policyAllowsResend;
  private final ExchangePolicy policy;
  private final ExchangeNotes notes;

  /** Request pieces not yet written upstream (waiting for a connection). */
  private final ArrayDeque<HttpObject> unsent = new ArrayDeque<>(4);

  /** Retained copies of what was written, for a resend; empty once not resendable. */
  private final ArrayList<HttpObject> sent = new ArrayList<>(4);

  private long sentBytes;
  private boolean keepingCopies;
  private boolean resent;
  private boolean requestComplete;
  private boolean requestSent;

  private UpstreamConnection connection;
  private boolean connectionReused;
  private boolean upstreamNeedsFlush;

  private boolean responseSeen;
  private boolean interim;
  private boolean responseStarted;
  private boolean upstreamKeepAlive;
  private boolean downstreamKeepAlive;
  private boolean downstreamNeedsFlush;

  private boolean finished;

  /** The outcome of the current try, once known; handed to its lease when the try ends. */
  private Outcome outcome;

  private int tries;
  private int retries;
  private boolean holdsRetrySlot;
  private boolean holdsPendingSlot;
  private boolean holdsConnectionSlot;
  private long tryStartNanos;
  private long tryDeadlineNanos = Long.MAX_VALUE;
  private ScheduledFuture<?> deadlineTimer;
  private ScheduledFuture<?> tryTimer;
  private ScheduledFuture<?> waitTimer;

  ForwardedExchange(ExchangeHandler handler, RoutedRequest routed, ExchangeNotes notes) {
    this.handler = handler;
    this.notes = notes;
    this.head = routed.head();
    this.target = routed.target();
    this.reroute = routed.reroute();
    this.downstream = handler.ctx();
    this.policyAllowsResend = handler.settings().resendPolicy().allows(head.request());
    this.policy = routed.policy();
    // An HTTP/2 upstream may refuse a stream unprocessed whatever the method: keep copies for that.
    this.keepingCopies =
        policyAllowsResend || target.protocol() == UpstreamProtocol.HTTP2 || mayRetryLater();
  }

  @Override
  public ExchangeNotes notes() {
    return notes;
  }

  private boolean mayRetryLater() {
    return policy.retryPermitted() && retries < policy.retry().maxRetries();
  }

  // ---- request side -------------------------------------------------------------------------

  @Override
  public void start() {
    unsent.add(head.request());
    if (policy.hasDeadline()) {
      long left = policy.deadlineNanos() - System.nanoTime();
      if (left <= 0) {
        // The caller has given up already: nobody would read the answer.
        target.runtime().stats().answeredLocally(ClusterStats.Local.REQUEST_TIMEOUT);
        replyAndFinish(
            LocalReply.to(head, HttpResponseStatus.GATEWAY_TIMEOUT, "deadline expired")
                .withGrpcStatus(GrpcStatus.DEADLINE_EXCEEDED)
                .flagged(ResponseFlag.DEADLINE_EXPIRED));
        return;
      }
      deadlineTimer = schedule(this::deadlinePassed, left);
    }
    if (policy.faultDelayNanos() > 0) {
      target.runtime().stats().answeredLocally(ClusterStats.Local.FAULT_DELAY);
      notes.flag(ResponseFlag.FAULT_DELAY);
      waitThen(policy.faultDelayNanos(), () -> acquire(false));
      return;
    }
    acquire(false);
  }

  /** Pauses the caller's reads, then runs {@code next} after {@code nanos} unless finished. */
  private void waitThen(long nanos, Runnable next) {
    handler.gate().pause(ReadGate.CONNECTING);
    waitTimer =
        schedule(
            () -> {
              waitTimer = null;
              if (!finished) {
                handler.gate().resume(ReadGate.CONNECTING);
                next.run();
              }
            },
            nanos);
  }

  private ScheduledFuture<?> schedule(Runnable task, long nanos) {
    return downstream.channel().eventLoop().schedule(task, nanos, TimeUnit.NANOSECONDS);
  }

  private void acquire(boolean fresh) {
    tries++;
    notes.trying(target.address());
    tryStartNanos = System.nanoTime();
    outcome = null;
    long perTry = policy.retry().perTryTimeout().toNanos();
    if (perTry > 0) {
      tryDeadlineNanos = tryStartNanos + perTry;
      int thisTry = tries;
      tryTimer = schedule(() -> tryTimedOut(thisTry), perTry);
    } else {
      tryDeadlineNanos = Long.MAX_VALUE;
    }
    if (target.protocol() == UpstreamProtocol.HTTP2) {
      // Often answered at once (a stream on a connection that is up), else once it is.
      handler
          .pool()
          .openStream(target.address(), target.connectTimeout(), target.idleTimeout(), this);
      if (connection == null && !finished) {
        handler.gate().pause(ReadGate.CONNECTING);
      }
      return;
    }
    if (!fresh) {
      Optional<UpstreamConnection> idle = handler.pool().reuse(target.address());
      if (idle.isPresent()) {
        attach(idle.get());
        return;
      }
    }
    // A new connection: the cluster's limits on connections and on requests waiting for one.
    if (!target.runtime().breaker().tryAcquirePending()) {
      overflow(Limit.MAX_PENDING_REQUESTS);
      return;
    }
    holdsPendingSlot = true;
    if (!target.runtime().breaker().tryAcquireConnection()) {
      overflow(Limit.MAX_CONNECTIONS);
      return;
    }
    holdsConnectionSlot = true;
    handler.gate().pause(ReadGate.CONNECTING);
    handler.pool().connect(target.address(), target.connectTimeout(), target.idleTimeout(), this);
  }

  private void overflow(Limit limit) {
    replyAndFinish(
        LocalReply.to(
                head,
                HttpResponseStatus.SERVICE_UNAVAILABLE,
                "upstream overflow: " + limit.wireName())
            .withHeader(Limit.OVERFLOW_HEADER, limit.wireName())
            .flagged(ResponseFlag.UPSTREAM_OVERFLOW));
  }

  private void releasePendingSlot() {
    if (holdsPendingSlot) {
      holdsPendingSlot = false;
      target.runtime().breaker().releasePending();
    }
  }

  @Override
  public void connected(UpstreamConnection fresh) {
    if (holdsConnectionSlot) {
      // The slot stays taken while the connection lives, in use or idle in the pool.
      holdsConnectionSlot = false;
      var breaker = target.runtime().breaker();
      fresh.channel().closeFuture().addListener(closed -> breaker.releaseConnection());
    }
    releasePendingSlot();
    if (finished) {
      handler.pool().release(fresh, true); // the caller left meanwhile; the connection is unused
      return;
    }
    handler.gate().resume(ReadGate.CONNECTING);
    attach(fresh);
  }

  @Override
  public void connectFailed(Throwable cause) {
    if (holdsConnectionSlot) {
      holdsConnectionSlot = false;
      target.runtime().breaker().releaseConnection();
    }
    releasePendingSlot();
    if (finished) {
      return;
    }
    cancelTryTimer();
    if (cause instanceof ConnectException && !(cause instanceof ConnectTimeoutException)) {
      // Refused (or unreachable): no application saw the request, so another endpoint may.
      Optional<Target> next = reroute.after(target);
      if (next.isPresent()) {
        target.lease().close(Outcome.CONNECT_FAILURE);
        target = next.get();
        acquire(true);
        return;
      }
    }
    handler.gate().resume(ReadGate.CONNECTING);
    tryFailed(Outcome.CONNECT_FAILURE, ClusterStats.Failure.CONNECT_FAILURE);
    if (retry(Outcome.CONNECT_FAILURE, -1)) {
      return;
    }
    String reason = cause instanceof ConnectTimeoutException ? "timed out" : describe(cause);
    replyAndFinish(
        LocalReply.to(
                head,
                HttpResponseStatus.SERVICE_UNAVAILABLE,
                "upstream connect error (" + target.address() + "): " + reason)
            .flagged(ResponseFlag.UPSTREAM_CONNECT_FAILURE));
  }

  /** The current try ended without an answer: its endpoint learns so, the cluster counts it. */
  private void tryFailed(Outcome failure, ClusterStats.Failure kind) {
    outcome = failure;
    target.runtime().stats().failure(kind);
  }

  /**
   * Sends the request again, to another endpoint if there is one, after a back-off, if the route
   * retries {@code failure} for this request, copies of all of it are still kept, the deadline has
   * not passed and the cluster's retry budget has room. The failed try's lease is closed with its
   * outcome first. Returns whether a retry is on its way.
   */
  private boolean retry(Outcome failure, int grpcStatus) {
    if (!keepingCopies
        || !mayRetryLater()
        || !policy.retry().retriable(failure, grpcStatus)
        || System.nanoTime() >= policy.deadlineNanos()) {
      return false;
    }
    releaseRetrySlot();
    Limit refused = target.runtime().breaker().tryAcquireRetry();
    if (refused != null) {
      target.runtime().stats().answeredLocally(ClusterStats.Local.RETRY_OVERFLOW);
      return false;
    }
    holdsRetrySlot = true;
    target.lease().close(failure);
    Optional<Target> next = reroute.retry(target);
    if (next.isEmpty()) {
      releaseRetrySlot();
      return false;
    }
    target = next.get();
    outcome = null;
    retries++;
    target.runtime().stats().retry();
    handler.stats().retried();
    dropConnection();
    sendAgain();
    long backoff = policy.retry().backoffNanos(retries, ThreadLocalRandom.current());
    if (backoff > 0) {
      waitThen(backoff, () -> acquire(true));
    } else {
      acquire(true);
    }
    return true;
  }

  private void releaseRetrySlot() {
    if (holdsRetrySlot) {
      holdsRetrySlot = false;
      target.runtime().breaker().releaseRetry();
    }
  }

  /** Gives up the current upstream connection or stream without reusing it. */
  private void dropConnection() {
    if (connection != null) {
      UpstreamConnection upstream = connection;
      connection = null;
      handler.pool().release(upstream, false);
    }
  }

  private void cancelTryTimer() {
    if (tryTimer != null) {
      tryTimer.cancel(false);
      tryTimer = null;
    }
  }

  private void tryTimedOut(int timedOutTry) {
    tryTimer = null;
    if (finished || timedOutTry != tries || responseSeen) {
      return;
    }
    tryFailed(Outcome.TIMEOUT, ClusterStats.Failure.TIMEOUT);
    if (retry(Outcome.TIMEOUT, -1)) {
      return;
    }
    dropConnection();
    replyAndFinish(
        LocalReply.to(head, HttpResponseStatus.GATEWAY_TIMEOUT, "upstream per-try timeout")
            .withGrpcStatus(GrpcStatus.DEADLINE_EXCEEDED)
            .flagged(ResponseFlag.UPSTREAM_TIMEOUT));
  }

  /**
   * The caller's deadline passed before the response ended: before it started, the caller gets 504
   * (gRPC: DEADLINE_EXCEEDED); after, the response is cut. Either way the upstream request is
   * abandoned (its connection closed, its stream reset), so the callee stops working on it.
   */
  private void deadlinePassed() {
    deadlineTimer = null;
    if (finished) {
      return;
    }
    target.runtime().stats().answeredLocally(ClusterStats.Local.REQUEST_TIMEOUT);
    if (connection != null && !responseSeen) {
      tryFailed(Outcome.TIMEOUT, ClusterStats.Failure.TIMEOUT);
    }
    dropConnection();
    notes.flag(ResponseFlag.UPSTREAM_TIMEOUT);
    if (responseStarted) {
      handler.stats().aborted(handler.settings().listener());
      flushDownstream();
      release(false);
      handler.exchangeAborted(this, Http2Error.CANCEL.code());
      return;
    }
    replyAndFinish(
        LocalReply.to(head, HttpResponseStatus.GATEWAY_TIMEOUT, "upstream request timeout")
            .withGrpcStatus(GrpcStatus.DEADLINE_EXCEEDED)
            .flagged(ResponseFlag.UPSTREAM_TIMEOUT));
  }

  private void attach(UpstreamConnection upstream) {
    stampDeadline();
    connection = upstream;
    connectionReused = upstream.reused();
    upstream.bind(this);
    if (!downstream.channel().isWritable() && upstream.pauseReads()) {
      handler.stats().readsPaused();
    }
    HttpObject next;
    while ((next = unsent.poll()) != null) {
      send(next);
    }
    if (!handler.reading()) {
      flushUpstream();
    }
    // else the caller's read is still delivering: its body follows in this read, and the last
    // piece or the read's end flushes head and body together (one write instead of two).
  }

  /**
   * Writes the time this try has left into the request head, for the next hop to enforce: the
   * sooner of the caller's deadline and the try's own timeout.
   */
  private void stampDeadline() {
    long until = Math.min(policy.deadlineNanos(), tryDeadlineNanos);
    if (until == Long.MAX_VALUE) {
      return;
    }
    long left = until - System.nanoTime();
    HttpHeaders headers = head.request().headers();
    headers.set(DeadlineHeaders.TIMEOUT_MS, DeadlineHeaders.formatTimeoutMs(left));
    if (policy.grpc()) {
      headers.set(DeadlineHeaders.GRPC_TIMEOUT, DeadlineHeaders.formatGrpcTimeout(left));
    }
  }

  @Override
  public boolean requestComplete() {
    return requestComplete;
  }

  @Override
  public void onRequestContent(HttpContent content) {
    if (content.decoderResult().isFailure()) {
      // The request never completes: the decoder discards the rest, and the caller is closed.
      content.release();
      if (!finished) {
        notes.flag(ResponseFlag.DOWNSTREAM_PROTOCOL_ERROR);
        upstreamFailed(HttpResponseStatus.BAD_REQUEST, "malformed request body", Optional.empty());
      }
      return;
    }
    notes.requestBody(content.content().readableBytes());
    if (content instanceof LastHttpContent) {
      requestComplete = true;
    }
    if (finished) {
      content.release();
    } else if (connection == null) {
      unsent.add(content); // reads are paused while connecting: at most one read's worth waits
    } else {
      send(content);
    }
  }

  private void send(HttpObject piece) {
    if (keepingCopies) {
      keepForResend(piece);
    }
    if (piece instanceof HttpRequest) {
      notes.headSent();
    }
    Channel channel = connection.channel();
    channel.write(piece, channel.voidPromise());
    upstreamNeedsFlush = true;
    if (piece instanceof LastHttpContent) {
      requestSent = true;
      flushUpstream();
    }
    if (piece instanceof HttpContent) {
      handler.observePending(channel);
    }
    if (!channel.isWritable() && handler.gate().pause(ReadGate.UPSTREAM_UNWRITABLE)) {
      handler.stats().readsPaused();
    }
  }

  private void keepForResend(HttpObject piece) {
    if (piece instanceof HttpContent content) {
      sentBytes += content.content().readableBytes();
      if (sentBytes > handler.settings().resendBufferBytes()) {
        stopKeepingForResend();
        return;
      }
      sent.add(content.retainedDuplicate());
    } else {
      sent.add(piece);
    }
  }

  private void stopKeepingForResend() {
    keepingCopies = false;
    sent.forEach(ReferenceCountUtil::release);
    sent.clear();
  }

  private void flushUpstream() {
    if (upstreamNeedsFlush && connection != null) {
      upstreamNeedsFlush = false;
      connection.channel().flush();
    }
  }

  @Override
  public void onDownstreamReadComplete() {
    flushUpstream();
  }

  @Override
  public void onDownstreamWritabilityChanged(boolean writable) {
    if (connection == null) {
      return;
    }
    if (writable) {
      connection.resumeReads();
    } else if (connection.pauseReads()) {
      handler.stats().readsPaused();
    }
  }

  @Override
  public void onDownstreamClosed() {
    if (finished) {
      return;
    }
    handler.stats().aborted(handler.settings().listener());
    notes.flag(ResponseFlag.DOWNSTREAM_CLOSED);
    end(false);
  }

  // ---- response side ------------------------------------------------------------------------

  @Override
  public void onResponse(HttpObject message) {
    if (finished) {
      ReferenceCountUtil.release(message);
      return;
    }
    if (!responseSeen
        && message instanceof HttpResponse response
        && response.status().code() >= 200) {
      if (decideOnAnswer(response)) {
        return; // retried: this answer is dropped
      }
    }
    if (!responseSeen) {
      responseSeen = true;
      cancelTryTimer();
      stopKeepingForResend(); // the upstream has read the request: never send it again
    }
    if (message.decoderResult().isFailure()) {
      ReferenceCountUtil.release(message);
      notes.flag(ResponseFlag.UPSTREAM_PROTOCOL_ERROR);
      upstreamFailed(
          HttpResponseStatus.BAD_GATEWAY, "upstream sent a malformed response", Optional.empty());
      return;
    }
    if (message instanceof HttpResponse response) {
      onResponseHead(response);
    } else if (message instanceof HttpContent content) {
      onResponseContent(content);
    }
  }

  /**
   * The first final answer of a try: counted for the cluster, kept as the try's outcome, and
   * retried instead of passed on when the route says so. Returns whether it was retried.
   */
  private boolean decideOnAnswer(HttpResponse response) {
    int status = response.status().code();
    target.runtime().stats().response(status, System.nanoTime() - tryStartNanos);
    outcome = Outcome.response(status);
    int grpcStatus =
        response instanceof LastHttpContent
            ? response.headers().getInt(GrpcStatus.GRPC_STATUS, -1)
            : -1;
    if (response.decoderResult().isFailure()) {
      return false;
    }
    cancelTryTimer();
    if (!retry(outcome, grpcStatus)) {
      return false;
    }
    ReferenceCountUtil.release(response);
    return true;
  }

  private void onResponseHead(HttpResponse response) {
    int status = response.status().code();
    if (status == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
      ReferenceCountUtil.release(response);
      notes.flag(ResponseFlag.UPSTREAM_PROTOCOL_ERROR);
      upstreamFailed(
          HttpResponseStatus.BAD_GATEWAY, "upstream switched protocols unasked", Optional.empty());
      return;
    }
    // Read before the hop-by-hop headers go: `Connection: close` is one of them.
    boolean keepAlive = HttpUtil.isKeepAlive(response);
    HopByHopHeaders.strip(response.headers());
    if (status < 200) {
      onInterimResponse(response);
      return;
    }
    upstreamKeepAlive = keepAlive;
    // A draining sidecar tells HTTP/1.1 callers to take their next request elsewhere.
    downstreamKeepAlive =
        head.keepAlive() && (handler.stream() || !handler.settings().drain().announced());
    ForwardingHeaders.appendToResponse(response.headers(), via());
    frame(response);
    if (!downstreamKeepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (head.version().equals(HttpVersion.HTTP_1_0)) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    responseStarted = true;
    handler.stats().response(handler.settings().listener(), status);
    notes.responseHead(status);
    if (response instanceof HttpContent whole) {
      notes.responseBody(whole.content().readableBytes());
    }
    if (response instanceof LastHttpContent) {
      notes.lastHeaders(response.headers());
      // A whole response in one piece: from HTTP/2, a HEADERS frame that ended the stream, such
      // as a gRPC "trailers-only" status. It goes on whole, so HTTP/2 sends it as one frame again.
      handler.writeResponseEnd(response);
      responseEnded();
    } else {
      writeDownstream(response);
    }
  }

  /**
   * 100 Continue and friends: passed on (never to an HTTP/1.0 caller) as one whole message, as
   * HTTP/2 needs; the HTTP/1.1 decoder's empty last piece that follows is dropped.
   */
  private void onInterimResponse(HttpResponse response) {
    interim = !(response instanceof LastHttpContent);
    if (head.version().equals(HttpVersion.HTTP_1_0)) {
      ReferenceCountUtil.release(response);
      return;
    }
    FullHttpResponse whole =
        response instanceof FullHttpResponse full
            ? full
            : new DefaultFullHttpResponse(
                response.protocolVersion(),
                response.status(),
                Unpooled.EMPTY_BUFFER,
                response.headers(),
                HttpHeaders.EMPTY_HEADERS);
    writeDownstream(whole);
    if (!interim) {
      flushDownstream();
    }
  }

  /**
   * Chooses the caller-side framing. An upstream body delimited by the connection closing is
   * re-framed as chunked for an HTTP/1.1 caller (so its connection survives); an HTTP/1.0 caller
   * cannot read chunked, so it gets the body delimited by close instead.
   */
  private void frame(HttpResponse response) {
    int status = response.status().code();
    if (head.request().method().equals(HttpMethod.HEAD) || status == 204 || status == 304) {
      return;
    }
    boolean length = HttpUtil.isContentLengthSet(response);
    boolean chunked = HttpUtil.isTransferEncodingChunked(response);
    if (head.version().equals(HttpVersion.HTTP_1_0)) {
      if (chunked) {
        HttpUtil.setTransferEncodingChunked(response, false);
      }
      if (!length) {
        downstreamKeepAlive = false;
      }
    } else if (!length && !chunked) {
      HttpUtil.setTransferEncodingChunked(response, true);
    }
  }

  private void onResponseContent(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    if (interim) {
      content.release(); // an interim response has no body
      if (last) {
        interim = false;
        flushDownstream();
      }
      return;
    }
    notes.responseBody(content.content().readableBytes());
    if (last) {
      notes.lastHeaders(((LastHttpContent) content).trailingHeaders());
      handler.writeResponseEnd(content);
      responseEnded();
      return;
    }
    writeDownstream(content);
    handler.observePending(downstream.channel());
    if (!downstream.channel().isWritable() && connection != null && connection.pauseReads()) {
      handler.stats().readsPaused();
    }
  }

  private void responseEnded() {
    downstreamNeedsFlush = false;
    downstream.flush();
    end(upstreamKeepAlive && requestSent);
  }

  private void writeDownstream(HttpObject message) {
    downstream.write(message, downstream.voidPromise());
    downstreamNeedsFlush = true;
  }

  private void flushDownstream() {
    if (downstreamNeedsFlush) {
      downstreamNeedsFlush = false;
      downstream.flush();
    }
  }

  /** This hop in the response's {@code Via}, named by the protocol the response arrived in. */
  private String via() {
    String version =
        connection != null && connection.protocol() == UpstreamProtocol.HTTP2
            ? ForwardingHeaders.HTTP_2
            : ForwardingHeaders.HTTP_1_1;
    return version + " " + handler.settings().viaName();
  }

  @Override
  public void onUpstreamReadComplete() {
    flushDownstream();
  }

  @Override
  public void onUpstreamWritabilityChanged(boolean writable) {
    if (writable) {
      handler.gate().resume(ReadGate.UPSTREAM_UNWRITABLE);
    } else if (handler.gate().pause(ReadGate.UPSTREAM_UNWRITABLE)) {
      handler.stats().readsPaused();
    }
  }

  @Override
  public void onUpstreamClosed(Optional<Throwable> cause) {
    connection = null;
    if (finished) {
      return;
    }
    boolean unprocessed =
        cause.orElse(null) instanceof StreamResetException reset && reset.unprocessed();
    boolean mayResend = (policyAllowsResend && connectionReused) || unprocessed;
    if (!responseSeen && keepingCopies && !resent && mayResend) {
      resend();
      return;
    }
    if (!responseSeen) {
      cancelTryTimer();
      tryFailed(Outcome.RESET, ClusterStats.Failure.RESET);
      boolean worthIt = !unprocessed || policy.retry().retriesRefusedStream();
      if (worthIt && retry(Outcome.RESET, -1)) {
        return;
      }
    }
    String reason = cause.map(ForwardedExchange::describe).orElse("connection closed");
    notes.flag(ResponseFlag.UPSTREAM_RESET);
    upstreamFailed(
        HttpResponseStatus.BAD_GATEWAY,
        "upstream reset before response (" + target.address() + "): " + reason,
        cause);
  }

  /** The keep-alive race: send everything again, once, on a fresh connection. */
  private void resend() {
    resent = true;
    handler.stats().keepAliveRaceResent();
    sendAgain();
    keepingCopies = false;
    acquire(true);
  }

  /**
   * Queues what was sent for sending again, ahead of what is still unsent; copies go on being kept
   * while another retry may follow.
   */
  private void sendAgain() {
    cancelTryTimer();
    ArrayDeque<HttpObject> again = new ArrayDeque<>(sent.size() + unsent.size());
    again.addAll(sent); // the copies' ownership moves with them
    again.addAll(unsent);
    sent.clear();
    unsent.clear();
    unsent.addAll(again);
    keepingCopies = target.protocol() == UpstreamProtocol.HTTP2 || mayRetryLater();
    sentBytes = 0;
    requestSent = false;
    upstreamNeedsFlush = false;
    handler.gate().resume(ReadGate.UPSTREAM_UNWRITABLE);
  }

  /**
   * The exchange cannot go on. Before the response started the caller gets {@code status}; after,
   * the caller must learn that what it got is not the whole response: HTTP/1.1 can only close the
   * connection, HTTP/2 resets the stream, with the upstream's own error code when it reset its
   * stream (a cancellation stays a cancellation).
   */
  private void upstreamFailed(HttpResponseStatus status, String reason, Optional<Throwable> cause) {
    if (responseStarted) {
      handler.stats().aborted(handler.settings().listener());
      flushDownstream();
      long code =
          cause.orElse(null) instanceof StreamResetException reset
              ? reset.errorCode()
              : Http2Error.INTERNAL_ERROR.code();
      release(false);
      handler.exchangeAborted(this, code);
    } else {
      replyAndFinish(status, reason);
    }
  }

  private void replyAndFinish(HttpResponseStatus status, String reason) {
    replyAndFinish(LocalReply.to(head, status, reason));
  }

  private void replyAndFinish(LocalReply reply) {
    HttpResponseStatus status = reply.status();
    interim = false;
    // The rest of an unfinished request body has nowhere to go: close rather than read it.
    boolean close = reply.close() || !requestComplete;
    LocalReply answer = close ? reply.closing() : reply;
    handler.stats().response(handler.settings().listener(), status.code());
    FullHttpResponse response = answer.toResponse(downstream.alloc());
    notes.answered(answer, response);
    handler.writeResponseEnd(response);
    downstreamNeedsFlush = false;
    downstream.flush();
    end(false, close);
  }

  /** The response went out whole: hand the connection back and let the next request run. */
  private void end(boolean upstreamReusable) {
    end(upstreamReusable, !downstreamKeepAlive || !requestComplete);
  }

  private void end(boolean upstreamReusable, boolean closeDownstream) {
    release(upstreamReusable);
    handler.exchangeDone(this, closeDownstream);
  }

  private void release(boolean upstreamReusable) {
    finished = true;
    cancelTryTimer();
    if (deadlineTimer != null) {
      deadlineTimer.cancel(false);
      deadlineTimer = null;
    }
    if (waitTimer != null) {
      waitTimer.cancel(false);
      waitTimer = null;
      handler.gate().resume(ReadGate.CONNECTING);
    }
    releaseRetrySlot();
    releasePendingSlot();
    if (connection != null) {
      UpstreamConnection upstream = connection;
      connection = null;
      handler.pool().release(upstream, upstreamReusable);
    }
    handler.gate().resume(ReadGate.UPSTREAM_UNWRITABLE | ReadGate.CONNECTING);
    stopKeepingForResend();
    unsent.forEach(ReferenceCountUtil::release);
    unsent.clear();
    if (outcome != null) {
      target.lease().close(outcome);
    } else {
      target.lease().close();
    }
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : message;
  }
}
