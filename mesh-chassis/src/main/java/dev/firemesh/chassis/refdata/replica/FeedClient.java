package dev.firemesh.chassis.refdata.replica;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The replica's HTTP calls to the owner. Through a sidecar the calls go to its outbound listener
 * naming the owner's service as their host: the JDK client forbids setting {@code Host}, so the
 * outbound listener is used as an HTTP proxy, which sends the absolute URI {@code
 * http://<service>/...} and {@code Host: <service>}, both of which the sidecar routes by.
 */
final class FeedClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /** An answer: its status and its JSON body (a {@code {"error"}} object for a failure). */
  record Answer(int status, JsonNode body) {
    String error() {
      return body.path("error").asText(body.toString());
    }
  }

  private final HttpClient client;
  private final URI base;
  private final String description;

  /**
   * @param owner the owner's base URI ({@code http://127.0.0.1:<port>})
   * @param service when present, the owner's service name, sent as the host of each request to
   *     {@code owner}'s address
   */
  FeedClient(URI owner, Optional<String> service) {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT);
    if (service.isPresent()) {
      int port = owner.getPort() == -1 ? 80 : owner.getPort();
      builder.proxy(ProxySelector.of(new InetSocketAddress(owner.getHost(), port)));
      this.base = URI.create("http://" + service.get());
      this.description = service.get() + " through " + owner;
    } else {
      this.base = owner;
      this.description = owner.toString();
    }
    this.client = builder.build();
  }

  Answer get(String pathAndQuery, Duration timeout) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(pathAndQuery))
            .timeout(timeout)
            .header("accept", "application/json")
            .GET()
            .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IOException(
          "the owner at " + description + " answered " + response.statusCode() + " with no JSON",
          e);
    }
    return new Answer(response.statusCode(), body);
  }

  String description() {
    return description;
  }

  void close() {
    client.close();
  }
}
