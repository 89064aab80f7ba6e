package dev.firemesh.control.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firemesh.control.operator.Principal;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One admin call, with its path parameters, query, headers (first value of each, by lower-case
 * name), body already read, and the principal the server authenticated.
 */
public record AdminRequest(
    String method,
    String path,
    Map<String, String> pathParams,
    Map<String, String> query,
    Map<String, String> headers,
    byte[] body,
    Principal principal) {

  private static final ObjectMapper JSON = AdminJson.mapper();

  /**
   * Who made this call, as revisions record it ({@code operator:alice}, {@code
   * workload:spiffe://...}): the authenticated principal, never what the caller says of itself.
   */
  public String actor() {
    return principal.actor();
  }

  public String param(String name) {
    String value = pathParams.get(name);
    if (value == null) {
      throw new IllegalStateException("route has no path parameter " + name);
    }
    return value;
  }

  /** A header's first value; names are case-insensitive. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  public Optional<String> queryParam(String name) {
    return Optional.ofNullable(query.get(name)).filter(v -> !v.isEmpty());
  }

  public long longQueryParam(String name, long defaultValue) {
    Optional<String> raw = queryParam(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    try {
      return Long.parseLong(raw.get());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          "query parameter " + name + " must be a whole number, got \"" + raw.get() + "\"");
    }
  }

  public boolean flag(String name) {
    return queryParam(name).map(v -> v.equals("true") || v.equals("1")).orElse(false);
  }

  /** The body as a JSON object; an empty or malformed body is a 400 naming the problem. */
  public JsonNode json() {
    if (body.length == 0) {
      throw ApiException.badRequest("request body must be a JSON object, got an empty body");
    }
    try {
      JsonNode node = JSON.readTree(body);
      if (node == null || !node.isObject()) {
        throw ApiException.badRequest("request body must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("request body could not be read: " + e.getMessage());
    }
  }
}
