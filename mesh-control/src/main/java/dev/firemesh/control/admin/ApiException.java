package dev.firemesh.control.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * A refused admin call: the HTTP status, a stable machine-readable code, a message a user can act
 * on, and optional structured detail (such as the list of validation problems).
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final JsonNode detail;

  public ApiException(int status, String code, String message, JsonNode detail) {
    super(message);
    this.status = status;
    this.code = code;
    this.detail = detail;
  }

  public ApiException(int status, String code, String message) {
    this(status, code, message, JsonNodeFactory.instance.nullNode());
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, "bad_request", message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public JsonNode detail() {
    return detail;
  }
}
