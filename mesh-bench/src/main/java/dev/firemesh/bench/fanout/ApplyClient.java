package dev.firemesh.bench.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The admin API calls the benchmark makes: {@code POST /v1/apply}, the same call {@code firemesh
 * apply -f FILE} makes (the files' text, a message, the bearer token), and {@code GET /v1/version}
 * to see which revision the xDS server serves. Blocking; one caller at a time.
 */
final class ApplyClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** What an apply answered. */
  record Applied(long revision, boolean unchanged) {}

  private final URI admin;
  private final String token;
  private final HttpClient http;

  ApplyClient(URI admin, String token) {
    this.admin = admin;
    this.token = token;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /**
   * Applies one YAML file as one revision.
   *
   * @throws AdminCallException if the control plane refuses it or cannot be reached
   */
  Applied apply(String fileName, String yaml, String message) throws InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("files").addObject().put("name", fileName).put("content", yaml);
    body.put("message", message);
    JsonNode answer = send(request("/v1/apply").POST(publisher(body)), "apply " + fileName);
    return new Applied(answer.path("revision").asLong(), answer.path("unchanged").asBoolean());
  }

  /** Deletes a resource, as {@code firemesh delete KIND NAME} does; true if it existed. */
  boolean delete(String kind, String name) throws InterruptedException {
    try {
      send(request("/v1/resources/" + kind + "/" + name).DELETE(), "delete " + kind + "/" + name);
      return true;
    } catch (AdminCallException e) {
      if (e.status() == 404) {
        return false;
      }
      throw e;
    }
  }

  /**
   * The xDS nodes the control plane knows ({@code GET /v1/xds/nodes}): connected ones and, for a
   * few minutes, disconnected ones, which still get a snapshot on every change.
   */
  int knownNodes() throws InterruptedException {
    return send(request("/v1/xds/nodes").GET(), "xds nodes").path("items").size();
  }

  /** The store revision the xDS server is serving ({@code xdsRevision}). */
  long servingRevision() throws InterruptedException {
    return send(request("/v1/version").GET(), "version").path("xdsRevision").asLong(-1);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(admin.resolve(path))
        .timeout(TIMEOUT)
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/json")
        .header("Content-Type", "application/json")
        .header("X-FireMesh-Actor", "fanout-benchmark");
  }

  private static HttpRequest.BodyPublisher publisher(JsonNode body) {
    try {
      return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  private JsonNode send(HttpRequest.Builder request, String what) throws InterruptedException {
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new AdminCallException(0, what + ": cannot reach the admin API at " + admin + ": " + e);
    }
    String text = new String(response.body(), StandardCharsets.UTF_8);
    if (response.statusCode() / 100 != 2) {
      throw new AdminCallException(
          response.statusCode(),
          what + ": the admin API answered " + response.statusCode() + ": " + text.strip());
    }
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AdminCallException(
          response.statusCode(), what + ": the admin API answered with no JSON: " + text.strip());
    }
  }

  /** A refused or failed admin API call. */
  static final class AdminCallException extends RuntimeException {
    private final int status;

    AdminCallException(int status, String message) {
      super(message);
      this.status = status;
    }

    /** The HTTP status; 0 when no answer came. */
    int status() {
      return status;
    }
  }
}
