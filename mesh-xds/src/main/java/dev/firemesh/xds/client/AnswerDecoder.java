package dev.firemesh.xds.client;

import static dev.firemesh.xds.client.ProtoFields.at;

import dev.firemesh.traffic.config.DirectResponse;
import dev.firemesh.traffic.config.PathRewrite;
import dev.firemesh.traffic.config.Redirect;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** Routes that answer without forwarding: {@code redirect} and {@code direct_response}. */
final class AnswerDecoder {
  private static final Set<String> REDIRECT =
      Set.of(
          "scheme_redirect",
          "https_redirect",
          "host_redirect",
          "path_redirect",
          "prefix_rewrite",
          "regex_rewrite",
          "response_code");

  /** Envoy's default for a direct response body (max_direct_response_body_size_bytes). */
  static final int MAX_BODY_BYTES = 4096;

  private AnswerDecoder() {}

  static Redirect redirect(RedirectAction redirect, String path) throws FieldProblem {
    ProtoFields.only(redirect, path, REDIRECT);
    String scheme =
        switch (redirect.getSchemeRewriteSpecifierCase()) {
          case HTTPS_REDIRECT -> redirect.getHttpsRedirect() ? "https" : "";
          case SCHEME_REDIRECT -> redirect.getSchemeRedirect();
          default -> "";
        };
    PathRewrite rewrite =
        switch (redirect.getPathRewriteSpecifierCase()) {
          case PATH_REDIRECT -> new PathRewrite.Full(redirect.getPathRedirect());
          case PREFIX_REWRITE -> new PathRewrite.Prefix(redirect.getPrefixRewrite());
          case REGEX_REWRITE ->
              ActionDecoder.regexRewrite(redirect.getRegexRewrite(), at(path, "regex_rewrite"));
          default -> PathRewrite.NONE;
        };
    int status =
        switch (redirect.getResponseCode()) {
          case MOVED_PERMANENTLY -> 301;
          case FOUND -> 302;
          case SEE_OTHER -> 303;
          case TEMPORARY_REDIRECT -> 307;
          case PERMANENT_REDIRECT -> 308;
          default ->
              throw new FieldProblem(
                  at(path, "response_code"), "unknown value " + redirect.getResponseCodeValue());
        };
    return new Redirect(scheme, redirect.getHostRedirect(), rewrite, status);
  }

  static DirectResponse directResponse(DirectResponseAction response, String path)
      throws FieldProblem {
    ProtoFields.only(response, path, Set.of("status", "body"));
    int status = response.getStatus();
    if (status < 200 || status > 599) {
      throw new FieldProblem(at(path, "status"), "expected 200 to 599, got " + status);
    }
    String body = "";
    if (response.hasBody()) {
      String bodyPath = at(path, "body");
      ProtoFields.only(response.getBody(), bodyPath, Set.of("inline_string", "inline_bytes"));
      body =
          response.getBody().hasInlineBytes()
              ? response.getBody().getInlineBytes().toString(StandardCharsets.UTF_8)
              : response.getBody().getInlineString();
      if (body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
        throw new FieldProblem(bodyPath, "longer than " + MAX_BODY_BYTES + " bytes");
      }
    }
    return new DirectResponse(status, body);
  }
}
