package dev.firemesh.examples.trading.plumbing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Calls to other services by logical name, through the local sidecar's outbound listener used as an
 * HTTP proxy: {@code get("reference-data", "/instruments/GB0007980591")} sends {@code GET
 * http://reference-data/instruments/GB0007980591} to the sidecar, which resolves the name, picks an
 * instance and forwards the call to that instance's sidecar. A call made while serving a request
 * carries that request's trace context ({@link TraceHeaders}); any other call carries none.
 */
public final class MeshHttp implements AutoCloseable {

  /**
   * An answer: its status and JSON body.
   *
   * @param json whether the body was JSON; the sidecar's own answers (404 unknown service, 503 no
   *     healthy upstream) are plain text, which {@code body} then holds as {@code {"error": text}}
   * @param faultInjected whether the caller's own sidecar answered in the callee's place with a
   *     fault a Route injects on purpose ({@code x-firemesh-fault: abort}): the callee never saw
   *     the call, and nothing is broken
   */
  public record Response(int status, JsonNode body, boolean json, boolean faultInjected) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  private final HttpClient client;
  private final Duration timeout;

  public MeshHttp(InetSocketAddress sidecarOutbound, Duration timeout) {
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .proxy(ProxySelector.of(sidecarOutbound))
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
  }

  public Response get(String service, String path) throws IOException, InterruptedException {
    return send(request(service, path).GET());
  }

  public Response post(String service, String path, JsonNode body)
      throws IOException, InterruptedException {
    return post(service, path, body, Map.of());
  }

  /** As {@link #post(String, String, JsonNode)}, with headers of the caller's own. */
  public Response post(String service, String path, JsonNode body, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        request(service, path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    headers.forEach(request::header);
    return send(request);
  }

  private HttpRequest.Builder request(String service, String path) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://" + service + path)).timeout(timeout);
    // A call made while serving a request belongs to its trace; the sidecar adds the spans.
    TraceHeaders.served().ifPresent(trace -> trace.addTo(request));
    return request;
  }

  private Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    boolean fault = response.headers().firstValue("x-firemesh-fault").isPresent();
    if (response.body().isBlank()) {
      return new Response(response.statusCode(), MissingNode.getInstance(), false, fault);
    }
    try {
      return new Response(
          response.statusCode(), Json.MAPPER.readTree(response.body()), true, fault);
    } catch (JsonProcessingException e) {
      return new Response(
          response.statusCode(), Json.object().put("error", response.body().strip()), false, fault);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
