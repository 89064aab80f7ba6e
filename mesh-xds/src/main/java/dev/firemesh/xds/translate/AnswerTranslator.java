package dev.firemesh.xds.translate;

import dev.firemesh.api.resource.Route;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.RedirectAction.RedirectResponseCode;

/** Rules that answer without forwarding: Envoy's {@code redirect} and {@code direct_response}. */
final class AnswerTranslator {
  private AnswerTranslator() {}

  static RedirectAction redirect(Route.Redirect redirect) {
    RedirectAction.Builder out = RedirectAction.newBuilder();
    if (!redirect.scheme().isEmpty()) {
      out.setSchemeRedirect(redirect.scheme());
    }
    if (!redirect.host().isEmpty()) {
      out.setHostRedirect(redirect.host());
    }
    switch (redirect.path()) {
      case Route.PathRewrite.None none -> {}
      case Route.PathRewrite.Full full -> out.setPathRedirect(full.path());
      case Route.PathRewrite.Prefix prefix -> out.setPrefixRewrite(prefix.replacement());
      case Route.PathRewrite.Regex regex ->
          out.setRegexRewrite(RouteActionTranslator.regexRewrite(regex));
    }
    return out.setResponseCode(responseCode(redirect.status())).build();
  }

  private static RedirectResponseCode responseCode(int status) {
    return switch (status) {
      case 301 -> RedirectResponseCode.MOVED_PERMANENTLY;
      case 302 -> RedirectResponseCode.FOUND;
      case 303 -> RedirectResponseCode.SEE_OTHER;
      case 307 -> RedirectResponseCode.TEMPORARY_REDIRECT;
      case 308 -> RedirectResponseCode.PERMANENT_REDIRECT;
      default -> throw new IllegalArgumentException("not a redirect status: " + status);
    };
  }

  static DirectResponseAction directResponse(Route.DirectResponse response) {
    DirectResponseAction.Builder out =
        DirectResponseAction.newBuilder().setStatus(response.status());
    if (!response.body().isEmpty()) {
      out.setBody(DataSource.newBuilder().setInlineString(response.body()));
    }
    return out.build();
  }
}
