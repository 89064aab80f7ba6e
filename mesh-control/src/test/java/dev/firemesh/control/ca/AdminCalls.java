package dev.firemesh.control.ca;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firemesh.control.ControlPlane;
import dev.firemesh.control.admin.TestCa;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * Calls of a control plane's admin API over real HTTPS, as CA tests make them, trusting the
 * replica's current trust bundle (a rotation changes it).
 */
final class AdminCalls {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AdminCalls() {}

  /** An answer: its status, its body as JSON (empty unless JSON) and as text. */
  record Reply(int status, JsonNode body, String text) {}

  /** A client of the replica's HTTPS admin API, trusting its current roots. */
  static HttpClient http(ControlPlane replica) {
    return HttpClient.newBuilder()
        .sslContext(TestCa.context(replica.certificateAuthority().trustBundle(), null))
        .build();
  }

  /** The admin token's header, for {@link #call}. */
  static List<String> admin(ControlPlane replica) {
    return List.of("Authorization", "Bearer " + replica.adminToken());
  }

  /**
   * @param body JSON, or null for none
   * @param headers name, value, name, value...
   */
  static Reply call(
      ControlPlane replica, String method, String path, JsonNode body, List<String> headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(replica.adminUrl() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.toString()));
    for (int i = 0; i < headers.size(); i += 2) {
      request.header(headers.get(i), headers.get(i + 1));
    }
    HttpResponse<String> response =
        http(replica).send(request.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json =
        response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
            ? JSON.readTree(response.body())
            : JSON.createObjectNode();
    return new Reply(response.statusCode(), json, response.body());
  }
}
