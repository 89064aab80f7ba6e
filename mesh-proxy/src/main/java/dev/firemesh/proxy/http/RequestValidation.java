package dev.firemesh.proxy.http;

import dev.firemesh.proxy.telemetry.ResponseFlag;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.util.List;

/**
 * Turns each decoded request head into a {@link RequestHead} or a {@link LocalReply}: decoder
 * failures (400, 414, 431), too many header fields (431), Host rules (400), transfer codings other
 * than chunked (501), unknown expectations (417), tunnels and protocol upgrades (501). Body pieces
 * pass through untouched. Refusals here close the connection: a caller that sends such a head is
 * not one to keep parsing.
 *
 * <p>An {@code Upgrade: h2c} offer alone is not refused: RFC 9110 section 7.8 lets a server ignore
 * an upgrade offer, and Java's HttpClient and curl make that offer by default. The header is
 * removed further down with the other hop-by-hop headers and the request goes on as HTTP/1.1.
 */
@Sharable
public final class RequestValidation extends ChannelInboundHandlerAdapter {

  private static final int MAX_REASON_CHARS = 160;

  private final HttpLimits limits;

  public RequestValidation(HttpLimits limits) {
    this.limits = limits;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HttpRequest request)) {
      ctx.fireChannelRead(msg);
      return;
    }
    Object verdict = check(request);
    if (verdict instanceof LocalReply reply) {
      ReferenceCountUtil.release(request); // an invalid head may be a (full, empty) request
      // Its method, target and headers stay readable (only a body is counted), for the access log.
      verdict =
          reply.flagged(ResponseFlag.DOWNSTREAM_PROTOCOL_ERROR).about(RequestHead.refused(request));
    }
    ctx.fireChannelRead(verdict);
  }

  private Object check(HttpRequest request) {
    DecoderResult decoded = request.decoderResult();
    if (decoded.isFailure()) {
      return refusal(decoded.cause());
    }
    HttpHeaders headers = request.headers();
    if (headers.size() > limits.maxHeaders()) {
      return LocalReply.closing(
          HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
          "too many header fields: " + headers.size() + ", at most " + limits.maxHeaders());
    }
    HttpVersion version = request.protocolVersion();
    if (version.majorVersion() != 1 || version.minorVersion() > 1) {
      return LocalReply.closing(
          HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "only HTTP/1.0 and HTTP/1.1 are served");
    }
    String hostProblem = hostProblem(request);
    if (hostProblem != null) {
      return LocalReply.closing(HttpResponseStatus.BAD_REQUEST, hostProblem);
    }
    if (HttpMethod.CONNECT.equals(request.method())) {
      return LocalReply.closing(
          HttpResponseStatus.NOT_IMPLEMENTED, "CONNECT tunnels are not supported by the sidecar");
    }
    if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
      if (codings.size() != 1 || !codings.getFirst().strip().equalsIgnoreCase("chunked")) {
        return LocalReply.closing(
            HttpResponseStatus.NOT_IMPLEMENTED,
            "transfer coding not supported: only 'chunked' is accepted");
      }
    }
    String expect = headers.get(HttpHeaderNames.EXPECT);
    if (expect != null && !expect.strip().equalsIgnoreCase("100-continue")) {
      return LocalReply.closing(
          HttpResponseStatus.EXPECTATION_FAILED, "only the 100-continue expectation is supported");
    }
    if (headers.contains(HttpHeaderNames.UPGRADE) && !onlyH2c(headers)) {
      return LocalReply.closing(
          HttpResponseStatus.NOT_IMPLEMENTED,
          "protocol upgrade is not supported by the sidecar: "
              + printable(headers.get(HttpHeaderNames.UPGRADE)));
    }
    String targetProblem = targetProblem(request);
    if (targetProblem != null) {
      return LocalReply.closing(HttpResponseStatus.BAD_REQUEST, targetProblem);
    }
    return RequestHead.of(request);
  }

  private static LocalReply refusal(Throwable cause) {
    return switch (cause) {
      case TooLongHttpLineException e ->
          LocalReply.closing(HttpResponseStatus.REQUEST_URI_TOO_LONG, "request line too long");
      case TooLongHttpHeaderException e ->
          LocalReply.closing(
              HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request header block too large");
      default ->
          LocalReply.closing(
              HttpResponseStatus.BAD_REQUEST,
              "malformed request: " + printable(cause.getMessage()));
    };
  }

  /** RFC 9112 section 3.2: exactly one valid Host in HTTP/1.1, at most one in HTTP/1.0. */
  private static String hostProblem(HttpRequest request) {
    List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
    if (hosts.size() > 1) {
      return "more than one Host header";
    }
    if (hosts.isEmpty()) {
      return request.protocolVersion().equals(HttpVersion.HTTP_1_1) ? "missing Host header" : null;
    }
    try {
      Authority.parse(hosts.getFirst());
      return null;
    } catch (IllegalArgumentException e) {
      return "invalid Host header: " + e.getMessage();
    }
  }

  private static String targetProblem(HttpRequest request) {
    String target = request.uri();
    if (target.startsWith("/")) {
      return null;
    }
    if (target.equals("*")) {
      return HttpMethod.OPTIONS.equals(request.method())
          ? null
          : "the asterisk request target is only for OPTIONS";
    }
    if (!AbsoluteForm.matches(target)) {
      return "the request target must be a path or an absolute http:// URI";
    }
    AbsoluteForm form = AbsoluteForm.parse(target);
    if (!form.scheme().equals("http")) {
      return "only http:// targets are proxied";
    }
    try {
      Authority.parse(form.authority());
      return null;
    } catch (IllegalArgumentException e) {
      return "invalid authority in request target: " + e.getMessage();
    }
  }

  private static boolean onlyH2c(HttpHeaders headers) {
    for (String value : headers.getAll(HttpHeaderNames.UPGRADE)) {
      for (String token : value.split(",")) {
        if (!token.strip().equalsIgnoreCase("h2c")) {
          return false;
        }
      }
    }
    return true;
  }

  /** Printable ASCII only and short: reasons may quote what the caller sent. */
  static String printable(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_REASON_CHARS));
    for (int i = 0; i < text.length() && out.length() < MAX_REASON_CHARS; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out.toString();
  }
}
