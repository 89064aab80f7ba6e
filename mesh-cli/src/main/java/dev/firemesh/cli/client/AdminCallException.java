package dev.firemesh.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** A failed admin call: the HTTP status (0 if none came back) and the server's JSON error. */
public final class AdminCallException extends RuntimeException {
  private final int status;
  private final JsonNode error;

  public AdminCallException(int status, JsonNode error) {
    super(error.path("message").asText("HTTP " + status));
    this.status = status;
    this.error = error;
  }

  public AdminCallException(String message) {
    super(message);
    this.status = 0;
    this.error = JsonNodeFactory.instance.objectNode().put("message", message);
  }

  public int status() {
    return status;
  }

  public JsonNode error() {
    return error;
  }
}
