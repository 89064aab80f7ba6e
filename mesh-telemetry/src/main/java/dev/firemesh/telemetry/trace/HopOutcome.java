package dev.firemesh.telemetry.trace;

import java.util.Objects;

/**
 * What happened on one hop through the sidecar, as much as a span needs: made when the request ends
 * (from the sidecar's exchange record) and given to {@link TraceHop#finish}. Strings the sidecar
 * does not know are empty and numbers zero; such attributes are left out of the span.
 *
 * @param direction which listener carried the hop; gives the span's kind
 * @param startEpochNanos when the hop began, in nanoseconds since the Unix epoch
 * @param durationNanos how long it took, from the request's arrival to the response's end
 * @param method the HTTP method as received ({@code POST} for gRPC)
 * @param scheme {@code http} or {@code https}, as the request addressed it
 * @param path the request's path, without the query (which may hold secrets)
 * @param httpRoute the matched route template ({@code http.route}); empty when there is none, which
 *     is the case for FireMesh's prefix routes unless configured
 * @param statusCode the HTTP status answered; 0 when no response came (reset, refused, timed out)
 * @param grpcStatus the gRPC status code, or {@link #NOT_GRPC} for a plain HTTP request; a code
 *     above 16 (an app's invention) counts as UNKNOWN, as gRPC clients read it
 * @param serverAddress the host the request addressed ({@code server.address}): inbound, the {@code
 *     Host}/{@code :authority}; outbound, the upstream endpoint's host
 * @param serverPort that host's port; 0 when unknown
 * @param peerAddress the socket peer's address ({@code network.peer.address})
 * @param peerPort the socket peer's port; 0 when unknown
 * @param protocolVersion {@code 1.1} or {@code 2}
 * @param source the calling service ({@code unknown} inbound without a verified SVID)
 * @param destination the called service
 * @param route the route's name ({@code default} when unnamed)
 * @param errorType why the hop failed when the status alone does not say (for example {@code
 *     timeout}, {@code connection_refused}); empty otherwise
 */
public record HopOutcome(
    Direction direction,
    long startEpochNanos,
    long durationNanos,
    String method,
    String scheme,
    String path,
    String httpRoute,
    int statusCode,
    int grpcStatus,
    String serverAddress,
    int serverPort,
    String peerAddress,
    int peerPort,
    String protocolVersion,
    String source,
    String destination,
    String route,
    String errorType) {

  /** {@link #grpcStatus} of a request that is not a gRPC call. */
  public static final int NOT_GRPC = -1;

  public HopOutcome {
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(httpRoute, "httpRoute");
    Objects.requireNonNull(serverAddress, "serverAddress");
    Objects.requireNonNull(peerAddress, "peerAddress");
    Objects.requireNonNull(protocolVersion, "protocolVersion");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(errorType, "errorType");
    if (durationNanos < 0) {
      throw new IllegalArgumentException("a hop's duration must not be negative: " + durationNanos);
    }
    if (grpcStatus < NOT_GRPC) {
      throw new IllegalArgumentException("not a gRPC status code: " + grpcStatus);
    }
  }

  public static Builder builder(Direction direction) {
    return new Builder(direction);
  }

  public boolean isGrpc() {
    return grpcStatus != NOT_GRPC;
  }

  /**
   * Whether the hop failed, by the mesh's one definition (the golden metrics' too): no response, an
   * HTTP 5xx, or a gRPC status among UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL,
   * UNAVAILABLE, DATA_LOSS. A failed hop's span is always exported.
   */
  public boolean failed() {
    return statusCode == 0 || statusCode >= 500 || GrpcCodes.isError(grpcStatus);
  }

  /** Collects a hop's outcome; everything but the direction is optional. */
  public static final class Builder {
    private final Direction direction;
    private long startEpochNanos;
    private long durationNanos;
    private String method = "";
    private String scheme = "http";
    private String path = "";
    private String httpRoute = "";
    private int statusCode;
    private int grpcStatus = NOT_GRPC;
    private String serverAddress = "";
    private int serverPort;
    private String peerAddress = "";
    private int peerPort;
    private String protocolVersion = "";
    private String source = "";
    private String destination = "";
    private String route = "";
    private String errorType = "";

    private Builder(Direction direction) {
      this.direction = Objects.requireNonNull(direction, "direction");
    }

    public Builder timing(long startEpochNanos, long durationNanos) {
      this.startEpochNanos = startEpochNanos;
      this.durationNanos = durationNanos;
      return this;
    }

    public Builder request(String method, String scheme, String path) {
      this.method = method;
      this.scheme = scheme;
      this.path = path;
      return this;
    }

    public Builder httpRoute(String httpRoute) {
      this.httpRoute = httpRoute;
      return this;
    }

    public Builder statusCode(int statusCode) {
      this.statusCode = statusCode;
      return this;
    }

    public Builder grpcStatus(int grpcStatus) {
      this.grpcStatus = grpcStatus;
      return this;
    }

    public Builder server(String address, int port) {
      this.serverAddress = address;
      this.serverPort = port;
      return this;
    }

    public Builder peer(String address, int port) {
      this.peerAddress = address;
      this.peerPort = port;
      return this;
    }

    public Builder protocolVersion(String protocolVersion) {
      this.protocolVersion = protocolVersion;
      return this;
    }

    /** The mesh's view: calling service, called service, route name. */
    public Builder mesh(String source, String destination, String route) {
      this.source = source;
      this.destination = destination;
      this.route = route;
      return this;
    }

    public Builder errorType(String errorType) {
      this.errorType = errorType;
      return this;
    }

    public HopOutcome build() {
      return new HopOutcome(
          direction,
          startEpochNanos,
          durationNanos,
          method,
          scheme,
          path,
          httpRoute,
          statusCode,
          grpcStatus,
          serverAddress,
          serverPort,
          peerAddress,
          peerPort,
          protocolVersion,
          source,
          destination,
          route,
          errorType);
    }
  }
}
