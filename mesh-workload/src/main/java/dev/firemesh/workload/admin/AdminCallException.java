package dev.firemesh.workload.admin;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A failed admin call: the HTTP status (0 if none came back) and the server's JSON error, as bytes.
 */
public final class AdminCallException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  // The error as it came: a sidecar reads only the message, and must not load Jackson to do so.
  private final byte[] body;

  /** No answer came back (status 0): the body is {@code {"message": message}}. */
  public AdminCallException(String message) {
    super(message);
    this.status = 0;
    this.body = PlainJson.compact(Map.of("message", message)).getBytes(StandardCharsets.UTF_8);
  }

  private AdminCallException(int status, String message, byte[] body) {
    super(message);
    this.status = status;
    this.body = body;
  }

  /** A refusal: the server's {@code message}, else its text, else {@code HTTP <status>}. */
  public static AdminCallException refused(int status, byte[] body) {
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
    return new AdminCallException(status, message, body.clone());
  }

  public int status() {
    return status;
  }

  /**
   * The server's error as it came (JSON, or a proxy's text, or empty); {@code {"message": ...}}
   * when no answer came back.
   */
  public byte[] body() {
    return body.clone();
  }
}
