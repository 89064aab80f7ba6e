package dev.firemesh.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A failed admin call: the HTTP status (0 if none came back) and the server's JSON error. */
public final class AdminCallException extends RuntimeException {
  private final int status;
  // The error as it came: a sidecar reads only the message, and must not load Jackson to do so.
  private final byte[] body;
  private final JsonNode error;

  public AdminCallException(int status, JsonNode error) {
    super(error.path("message").asText("HTTP " + status));
    this.status = status;
    this.body = null;
    this.error = error;
  }

  public AdminCallException(String message) {
    super(message);
    this.status = 0;
    this.body = PlainJson.compact(Map.of("message", message)).getBytes(StandardCharsets.UTF_8);
    this.error = null;
  }

  private AdminCallException(int status, String message, byte[] body) {
    super(message);
    this.status = status;
    this.body = body;
    this.error = null;
  }

  /** A refusal: the server's {@code message}, else its text, else {@code HTTP <status>}. */
  static AdminCallException refused(int status, byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    String message;
    if (text.isBlank()) {
      message = "HTTP " + status;
    } else {
      try {
        Object value = PlainJson.member(PlainJson.parse(text), "message");
        message = value == null ? "HTTP " + status : value.toString();
      } catch (IllegalArgumentException e) {
        message = text; // not JSON: a proxy's page, say
      }
    }
    return new AdminCallException(status, message, body);
  }

  public int status() {
    return status;
  }

  public JsonNode error() {
    return error != null ? error : AdminClient.parse(body);
  }
}
