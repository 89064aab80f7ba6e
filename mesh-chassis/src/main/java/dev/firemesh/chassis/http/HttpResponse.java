package dev.firemesh.chassis.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A handler's answer, whole.
 *
 * @param headers extra headers (names as they should be sent); {@code content-type} comes from
 *     {@code contentType}
 */
public record HttpResponse(
    int status, String contentType, Map<String, String> headers, byte[] body) {
  public static final String JSON = "application/json";
  public static final String TEXT = "text/plain; charset=utf-8";
  private static final com.fasterxml.jackson.databind.ObjectMapper ERRORS =
      new com.fasterxml.jackson.databind.ObjectMapper();

  public HttpResponse {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status " + status + " is not an HTTP status");
    }
    headers = Map.copyOf(headers);
  }

  public static HttpResponse json(int status, String json) {
    return new HttpResponse(status, JSON, Map.of(), json.getBytes(StandardCharsets.UTF_8));
  }

  public static HttpResponse text(int status, String text) {
    return new HttpResponse(status, TEXT, Map.of(), text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A JSON error body {@code {"error": message}}, the shape every chassis endpoint answers with.
   */
  public static HttpResponse error(int status, String message) {
    try {
      return json(status, ERRORS.writeValueAsString(Map.of("error", message)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a string map always serializes", e);
    }
  }

  public HttpResponse withHeader(String name, String value) {
    Map<String, String> more = new java.util.LinkedHashMap<>(headers);
    more.put(name, value);
    return new HttpResponse(status, contentType, more, body);
  }
}
