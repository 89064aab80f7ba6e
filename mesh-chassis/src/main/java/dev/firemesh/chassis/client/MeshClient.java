package dev.firemesh.chassis.client;

import dev.firemesh.chassis.http.HttpResponse;
import dev.firemesh.chassis.telemetry.CurrentRequest;
import dev.firemesh.telemetry.trace.TraceHop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Calls to other services by logical name. Behind a sidecar ({@link #throughSidecar}) a call to
 * {@code reference-data} goes to the sidecar's outbound listener as an HTTP proxy request for
 * {@code http://reference-data/...}: the sidecar resolves the name, balances, retries, encrypts.
 * Standing alone ({@link #direct}) the caller says where each service is, which is for tests and
 * development only. A call made while serving a request carries that request's trace.
 */
public final class MeshClient implements AutoCloseable {
  private final HttpClient client;
  private final Function<String, URI> base;
  private final Duration timeout;

  private MeshClient(HttpClient client, Function<String, URI> base, Duration timeout) {
    this.client = client;
    this.base = base;
    this.timeout = timeout;
  }

  /** Every call through the sidecar whose outbound listener is {@code outbound}. */
  public static MeshClient throughSidecar(InetSocketAddress outbound, Duration timeout) {
    HttpClient client =
        HttpClient.newBuilder()
            .proxy(ProxySelector.of(outbound))
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
    return new MeshClient(client, service -> URI.create("http://" + service), timeout);
  }

  /**
   * Calls straight to the addresses given, by service name; a service not named is refused. No
   * sidecar: no mTLS, no balancing, no retries.
   */
  public static MeshClient direct(Map<String, URI> addresses, Duration timeout) {
    Map<String, URI> copy = Map.copyOf(addresses);
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
    return new MeshClient(
        client,
        service -> {
          URI uri = copy.get(service);
          if (uri == null) {
            throw new IllegalArgumentException(
                "no address for service '" + service + "' (known: " + copy.keySet() + ")");
          }
          return uri;
        },
        timeout);
  }

  /** The URI a path of {@code service} is reached at, for clients of one's own (long polls). */
  public URI uri(String service, String pathAndQuery) {
    Objects.requireNonNull(service, "service");
    if (!pathAndQuery.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/': " + pathAndQuery);
    }
    String root = base.apply(service).toString();
    if (root.endsWith("/")) {
      root = root.substring(0, root.length() - 1);
    }
    return URI.create(root + pathAndQuery);
  }

  public HttpResponse get(String service, String pathAndQuery)
      throws IOException, InterruptedException {
    return send(service, "GET", pathAndQuery, Optional.empty(), "", timeout);
  }

  public HttpResponse postJson(String service, String path, String json)
      throws IOException, InterruptedException {
    return send(
        service,
        "POST",
        path,
        Optional.of(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        HttpResponse.JSON,
        timeout);
  }

  /** As {@link #postJson(String, String, String)}, with request headers of the caller's. */
  public HttpResponse postJson(
      String service, String path, Map<String, String> headers, String json)
      throws IOException, InterruptedException {
    return send(
        service,
        "POST",
        path,
        headers,
        Optional.of(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        HttpResponse.JSON,
        timeout);
  }

  /**
   * Any call, with a timeout of its own (a long poll's is longer than a call's).
   *
   * @throws IOException if the sidecar (or the service, standing alone) cannot be reached
   */
  public HttpResponse send(
      String service,
      String method,
      String pathAndQuery,
      Optional<byte[]> body,
      String contentType,
      Duration callTimeout)
      throws IOException, InterruptedException {
    return send(service, method, pathAndQuery, Map.of(), body, contentType, callTimeout);
  }

  /**
   * As {@link #send(String, String, String, Optional, String, Duration)}, with request headers of
   * the caller's (a command's id).
   */
  public HttpResponse send(
      String service,
      String method,
      String pathAndQuery,
      Map<String, String> requestHeaders,
      Optional<byte[]> body,
      String contentType,
      Duration callTimeout)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(service, pathAndQuery))
            .timeout(callTimeout)
            .method(
                method,
                body.map(HttpRequest.BodyPublishers::ofByteArray)
                    .orElse(HttpRequest.BodyPublishers.noBody()));
    requestHeaders.forEach(request::header);
    if (body.isPresent()) {
      request.header("content-type", contentType);
    }
    Optional<TraceHop> serving = CurrentRequest.hop();
    serving.ifPresent(
        hop -> {
          request.header("traceparent", hop.outgoingTraceparent());
          hop.outgoingTracestate().ifPresent(state -> request.header("tracestate", state));
        });
    java.net.http.HttpResponse<byte[]> answer =
        client.send(request.build(), BodyHandlers.ofByteArray());
    Map<String, String> headers = new LinkedHashMap<>();
    answer.headers().map().forEach((name, values) -> headers.put(name, values.getFirst()));
    String type = headers.getOrDefault("content-type", "application/octet-stream");
    headers.remove("content-type");
    return new HttpResponse(answer.statusCode(), type, headers, answer.body());
  }

  @Override
  public void close() {
    client.close();
  }
}
