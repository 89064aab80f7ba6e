package dev.firemesh.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.control.ControlPlaneFiles;
import dev.firemesh.control.admin.AdminJson;
import dev.firemesh.workload.admin.AdminCallException;
import dev.firemesh.workload.admin.AdminHttp;
import dev.firemesh.workload.admin.ClientTls;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** A small blocking client of the control plane's admin API: JSON trees over {@link AdminHttp}. */
public final class AdminClient {
  // Exact decimals: a Config value 50000000.00 must not come back as 5.0E7.
  private static final ObjectMapper JSON = AdminJson.mapper();

  private final AdminHttp http;

  public AdminClient(URI base, String token) {
    this(new AdminHttp(base, token));
  }

  public AdminClient(AdminHttp http) {
    this.http = http;
  }

  /**
   * The bootstrap admin of the control plane that keeps its files in {@code dataDir}: its {@code
   * admin.token}, trusting its {@code trust-bundle.pem}. For tools that start the control plane
   * themselves (the demo, tests).
   */
  public static AdminHttp bootstrapAdmin(URI base, Path dataDir) throws IOException {
    return new AdminHttp(
        base,
        Optional.of(ControlPlaneFiles.readToken(dataDir.resolve(ControlPlaneFiles.TOKEN))),
        Optional.of(
            ClientTls.load(
                dataDir.resolve(ControlPlaneFiles.TRUST_BUNDLE),
                Optional.empty(),
                Optional.empty())));
  }

  /** The server's error in {@code e} as a tree (see {@link #parse}). */
  public static JsonNode error(AdminCallException e) {
    return parse(e.body());
  }

  /** An empty JSON object, for a request body. */
  public static ObjectNode json() {
    return JSON.createObjectNode();
  }

  public URI base() {
    return http.base();
  }

  public JsonNode get(String path) {
    return send("GET", path, null);
  }

  public JsonNode post(String path, JsonNode body) {
    return send("POST", path, body);
  }

  public JsonNode put(String path, JsonNode body) {
    return send("PUT", path, body);
  }

  public JsonNode delete(String path) {
    return send("DELETE", path, null);
  }

  /** {@code POST /v1/tokens}: a join token; the answer's {@code token} is shown only this once. */
  public JsonNode createJoinToken(String service, String env, Duration ttl, int uses) {
    return post(
        "/v1/tokens",
        JSON.createObjectNode()
            .put("service", service)
            .put("env", env)
            .put("ttlSeconds", ttl.toSeconds())
            .put("uses", uses));
  }

  /** {@code GET /v1/tokens}: every join token, without secrets. */
  public JsonNode joinTokens() {
    return get("/v1/tokens");
  }

  /** {@code DELETE /v1/tokens/{id}}. */
  public JsonNode revokeJoinToken(String id) {
    return delete("/v1/tokens/" + encode(id));
  }

  /** {@code GET /v1/ca}: the CA certificates with days left and warnings. */
  public JsonNode certificateAuthority() {
    return get("/v1/ca");
  }

  public static String encode(String segment) {
    return AdminHttp.encode(segment);
  }

  private JsonNode send(String method, String path, JsonNode body) {
    byte[] bytes;
    try {
      bytes = body == null ? null : JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write the request body: " + e.getMessage(), e);
    }
    return parse(http.call(method, path, bytes));
  }

  /** The answer as a tree: {@code {}} when empty, {@code {"message": text}} when not JSON. */
  static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return JSON.createObjectNode().put("message", new String(body, StandardCharsets.UTF_8));
    }
  }
}
