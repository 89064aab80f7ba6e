package dev.firemesh.proxy.forward;

import dev.firemesh.proxy.http.GrpcStatus;
import dev.firemesh.proxy.http.LocalReply;
import dev.firemesh.proxy.http.RequestHead;
import dev.firemesh.proxy.http.RequestIds;
import dev.firemesh.proxy.stats.ProxyStats;
import dev.firemesh.proxy.telemetry.ExchangeRecord;
import dev.firemesh.proxy.telemetry.ExchangeRecord.Protocol;
import dev.firemesh.proxy.telemetry.ResponseFlag;
import dev.firemesh.proxy.telemetry.RouteLabels;
import dev.firemesh.proxy.tls.PeerIdentity;
import dev.firemesh.proxy.upstream.UpstreamAddress;
import dev.firemesh.telemetry.trace.Direction;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Instant;

/**
 * What one exchange notes about itself while it runs (when it started, when the request went
 * upstream and the answer came back, bytes, status, why the sidecar stepped in), turned into an
 * {@link ExchangeRecord} once when it ends. Owned by the exchange's event loop, never shared.
 *
 * <p>While nobody observes exchanges, every exchange gets {@link #OFF}, which notes nothing: the
 * hot path then pays one well-predicted branch per call and no clock reads.
 */
final class ExchangeNotes {

  /** Notes nothing; shared by every exchange of a listener nobody observes. */
  static final ExchangeNotes OFF = new ExchangeNotes(false, RequestHead.UNKNOWN, RouteLabels.NONE);

  /** The inbound side's cluster label: the local app, as {@code /stats/prometheus} names it. */
  static final String LOCAL_APP = "local_app";

  private final boolean on;
  private final RequestHead head;
  private final RouteLabels labels;
  private long startNanos;
  private long startMicros;
  private long headSentNanos = -1;
  private long responseHeadNanos = -1;
  private int status;
  private int grpcStatus = -1;
  private long requestBytes;
  private long responseBytes;
  private int attempts;
  private ResponseFlag flag = ResponseFlag.NONE;
  private UpstreamAddress upstream;

  private ExchangeNotes(boolean on, RequestHead head, RouteLabels labels) {
    this.on = on;
    this.head = head;
    this.labels = labels;
  }

  /** Notes for an exchange beginning now. */
  static ExchangeNotes begin(RequestHead head, RouteLabels labels) {
    ExchangeNotes notes = new ExchangeNotes(true, head, labels);
    notes.startNanos = System.nanoTime();
    Instant now = Instant.now();
    notes.startMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    return notes;
  }

  boolean on() {
    return on;
  }

  /** Request body bytes arrived from the caller. */
  void requestBody(int bytes) {
    if (on) {
      requestBytes += bytes;
    }
  }

  /** A try begins, to {@code to}: a connection or stream is sought for it. */
  void trying(UpstreamAddress to) {
    if (on) {
      attempts++;
      upstream = to;
      headSentNanos = -1; // this try's, not an earlier one's
    }
  }

  /** The current try's request head was written upstream. */
  void headSent() {
    if (on) {
      headSentNanos = System.nanoTime();
    }
  }

  /** The final response head came from upstream and goes on to the caller. */
  void responseHead(int responseStatus) {
    if (on) {
      responseHeadNanos = System.nanoTime();
      status = responseStatus;
    }
  }

  /** Response body bytes went to the caller. */
  void responseBody(int bytes) {
    if (on) {
      responseBytes += bytes;
    }
  }

  /** The response's last headers (a whole response's head, or trailers): its gRPC status. */
  void lastHeaders(HttpHeaders headers) {
    if (on) {
      int code = headers.getInt(GrpcStatus.GRPC_STATUS, -1);
      if (code >= 0) {
        grpcStatus = code;
      }
    }
  }

  /** The sidecar answered itself with {@code response}, made from {@code reply}. */
  void answered(LocalReply reply, FullHttpResponse response) {
    if (on) {
      status = response.status().code();
      grpcStatus = reply.grpcStatusSent();
      responseBytes += response.content().readableBytes();
      flag(reply.flag());
    }
  }

  /** What decided the outcome; a later condition replaces an earlier one. */
  void flag(ResponseFlag why) {
    if (on && why != ResponseFlag.NONE) {
      flag = why;
    }
  }

  /** Whether the caller was sent a response head. */
  boolean answered() {
    return status != 0;
  }

  /**
   * The record of this exchange, ending now.
   *
   * @param channel the caller's connection or stream, whose verified peer is the inbound caller
   */
  ExchangeRecord record(ForwardSettings settings, Channel channel, boolean stream) {
    long end = System.nanoTime();
    HttpHeaders headers = head.request().headers();
    String own = settings.service().isEmpty() ? RouteLabels.UNKNOWN : settings.service();
    boolean outbound = settings.listener() == ProxyStats.Listener.OUTBOUND;
    String source;
    String destination;
    String route;
    String cluster;
    String identity = "";
    if (outbound) {
      source = own;
      cluster =
          upstream != null && !upstream.cluster().isEmpty() ? upstream.cluster() : labels.cluster();
      destination =
          labels.destination().equals(RouteLabels.UNKNOWN) && !cluster.isEmpty()
              ? RouteLabels.serviceOf(cluster)
              : labels.destination();
      route = labels.route();
    } else {
      identity = PeerIdentity.of(channel).orElse("");
      source = PeerIdentity.service(channel).orElse(RouteLabels.UNKNOWN);
      destination = own;
      route = RouteLabels.NO_ROUTE;
      cluster = LOCAL_APP;
    }
    Protocol protocol =
        GrpcStatus.isGrpc(headers)
            ? Protocol.GRPC
            : stream
                ? Protocol.HTTP_2
                : head.version().equals(HttpVersion.HTTP_1_0)
                    ? Protocol.HTTP_1_0
                    : Protocol.HTTP_1_1;
    return new ExchangeRecord(
        outbound ? Direction.OUTBOUND : Direction.INBOUND,
        source,
        destination,
        route,
        cluster,
        head.request().method().name(),
        head.request().uri(),
        orEmpty(headers.get(HttpHeaderNames.HOST)),
        protocol,
        status,
        grpcStatus,
        upstream == null ? "" : upstream.host() + ":" + upstream.port(),
        attempts,
        requestBytes,
        responseBytes,
        startMicros,
        headSentNanos < 0 ? -1 : micros(headSentNanos - startNanos),
        headSentNanos < 0 || responseHeadNanos < 0 ? -1 : micros(responseHeadNanos - headSentNanos),
        responseHeadNanos < 0 ? -1 : micros(end - responseHeadNanos),
        micros(end - startNanos),
        orEmpty(headers.get(RequestIds.X_REQUEST_ID)),
        identity,
        flag,
        head.trace());
  }

  private static long micros(long nanos) {
    return Math.max(0, nanos / 1_000);
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
