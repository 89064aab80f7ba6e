package dev.firemesh.control.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.control.operator.Principal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logging in and out of the dashboard: {@code POST /v1/sessions} trades an operator's token (or the
 * client certificate the browser presented) for a session cookie; {@code DELETE
 * /v1/sessions/current} ends the session the cookie names. Both are open routes that authenticate
 * the caller themselves. The session is good for reads only ({@link AdminServer} accepts it on GET
 * routes alone).
 */
public final class SessionApi {
  private static final Logger log = LoggerFactory.getLogger(SessionApi.class);
  private static final ObjectMapper JSON = AdminServer.JSON;

  public void registerOn(AdminServer server) {
    server
        .replyRoute("POST", "/v1/sessions", AdminServer.Access.OPEN, r -> login(server, r))
        .replyRoute(
            "DELETE", "/v1/sessions/current", AdminServer.Access.OPEN, r -> logout(server, r));
  }

  private static AdminServer.Reply login(AdminServer server, AdminRequest request) {
    // A form on another site can post text/plain but not JSON without the browser asking first
    // (CORS preflight, which this server never grants): requiring JSON keeps other sites from
    // logging a browser into a session of their choosing.
    String type = request.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    if (!type.startsWith("application/json")) {
      throw new ApiException(
          415,
          "unsupported_media_type",
          "send {\"token\": \"...\"} as Content-Type: application/json");
    }
    JsonNode body = request.body().length == 0 ? JSON.createObjectNode() : request.json();
    String token = body.path("token").asText("").strip();
    Principal.Operator operator = token.isEmpty() ? byCertificate(request) : byToken(server, token);
    BrowserSessions sessions = server.sessions();
    BrowserSessions.Opened opened = sessions.open(operator);
    log.info(
        "browser session opened principal={} expiresAt={}",
        operator.actor(),
        opened.session().expiresAt());
    ObjectNode answer =
        JSON.createObjectNode()
            .put("actor", operator.actor())
            .put("operator", operator.name())
            .put("role", operator.role().wireName())
            .put("expiresAt", opened.session().expiresAt().toString());
    return json(answer, Map.of("Set-Cookie", sessions.cookie(opened)));
  }

  private static Principal.Operator byToken(AdminServer server, String token) {
    return server
        .byToken(token)
        .orElseThrow(
            () ->
                new ApiException(
                    401,
                    "unauthenticated",
                    "wrong, revoked or expired token; the bootstrap admin's is in"
                        + " <data-dir>/admin.token"));
  }

  private static Principal.Operator byCertificate(AdminRequest request) {
    return switch (request.principal()) {
      case Principal.Operator operator -> operator;
      case Principal.Workload workload ->
          throw new ApiException(
              403,
              "forbidden",
              workload.actor() + " is a workload; only operators may open dashboard sessions");
      case Principal.Anonymous anonymous ->
          throw new ApiException(
              401,
              "unauthenticated",
              "paste an operator token, or present an operator's client certificate from the"
                  + " mesh CA");
    };
  }

  private static AdminServer.Reply logout(AdminServer server, AdminRequest request) {
    Optional<String> id = BrowserSessions.idIn(request.header("Cookie").map(List::of).orElse(null));
    id.flatMap(server.sessions()::find)
        .ifPresent(s -> log.info("browser session closed principal={}", s.operator().actor()));
    id.ifPresent(server.sessions()::close);
    return json(
        JSON.createObjectNode().put("loggedOut", id.isPresent()),
        Map.of("Set-Cookie", BrowserSessions.expiredCookie()));
  }

  private static AdminServer.Reply json(JsonNode body, Map<String, String> headers) {
    try {
      return new AdminServer.Reply(200, "application/json", JSON.writeValueAsBytes(body), headers);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
