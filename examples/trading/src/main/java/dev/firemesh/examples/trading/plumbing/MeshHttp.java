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
   */
  public record Response(int status, JsonNode body, boolean json) {
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
    return send(
        request(service, path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
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
    if (response.body().isBlank()) {
      return new Response(response.statusCode(), MissingNode.getInstance(), false);
    }
    try {
      return new Response(response.statusCode(), Json.MAPPER.readTree(response.body()), true);
    } catch (JsonProcessingException e) {
      return new Response(
          response.statusCode(), Json.object().put("error", response.body().strip()), false);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
