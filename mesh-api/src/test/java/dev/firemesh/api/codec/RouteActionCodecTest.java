package dev.firemesh.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.api.resource.Route;
import dev.firemesh.api.resource.Route.DirectResponse;
import dev.firemesh.api.resource.Route.Forward;
import dev.firemesh.api.resource.Route.PathRewrite;
import dev.firemesh.api.resource.Route.Redirect;
import dev.firemesh.api.resource.Route.Rewrite;
import dev.firemesh.api.resource.Route.StickyBy;
import dev.firemesh.api.validation.InvalidResourceException;
import dev.firemesh.api.validation.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A rule's action: forward (with stickiness and rewrites), redirect or direct response. */
class RouteActionCodecTest {

  private static final String HEAD =
      """
      apiVersion: firemesh.dev/v1
      kind: Route
      metadata: {name: orders}
      spec:
        service: orders
        rules:
      """;

  private static Route route(String rules) {
    return (Route) ResourceCodec.parse("orders.yaml", HEAD + rules).getFirst().resource();
  }

  private static List<String> problems(String rules) {
    try {
      ResourceCodec.parse("orders.yaml", HEAD + rules);
    } catch (InvalidResourceException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
    throw new AssertionError("expected the rules to be refused:\n" + rules);
  }

  @Test
  void readsStickinessAndRewritesOfAForwardingRule() {
    Route route =
        route(
            """
                - destinations: [{subset: v1, weight: 90}, {subset: v2, weight: 10}]
                  stickyBy: {cookie: user}
                  rewrite: {prefix: /v2/, host: orders.internal}
                - match: [{path: {regex: "/legacy/.*"}}]
                  destinations: [{subset: v1}]
                  stickyBy: {header: X-User-Id}
                  rewrite:
                    regex: {pattern: "^/legacy/([a-z]+)/(\\\\d+)$", substitution: "/\\\\1?id=\\\\2"}
            """);

    Forward first = (Forward) route.spec().rules().get(0).action();
    assertThat(first.stickyBy()).isEqualTo(new StickyBy(StickyBy.Source.COOKIE, "user"));
    assertThat(first.rewrite())
        .isEqualTo(new Rewrite(new PathRewrite.Prefix("/v2/"), "orders.internal"));
    Forward second = (Forward) route.spec().rules().get(1).action();
    assertThat(second.stickyBy()).isEqualTo(new StickyBy(StickyBy.Source.HEADER, "x-user-id"));
    assertThat(second.rewrite().path())
        .isEqualTo(new PathRewrite.Regex("^/legacy/([a-z]+)/(\\d+)$", "/\\1?id=\\2"));
    assertThat(second.rewrite().host()).isEmpty();
  }

  @Test
  void readsRedirectsAndDirectResponsesWithTheirDefaults() {
    Route route =
        route(
            """
                - match: [{path: {prefix: /old/}}]
                  redirect: {scheme: https, host: "new.example:8443", prefix: /new/, status: 308}
                - match: [{path: {exact: /moved}}]
                  redirect: {path: /here}
                - directResponse: {status: 503, body: "down for maintenance\\n"}
                - directResponse: {status: 204}
            """);

    List<Route.Rule> rules = route.spec().rules();
    assertThat(rules.get(0).action())
        .isEqualTo(new Redirect("https", "new.example:8443", new PathRewrite.Prefix("/new/"), 308));
    assertThat(rules.get(1).action())
        .isEqualTo(new Redirect("", "", new PathRewrite.Full("/here"), 301));
    assertThat(rules.get(2).action()).isEqualTo(new DirectResponse(503, "down for maintenance\n"));
    assertThat(rules.get(3).action()).isEqualTo(new DirectResponse(204, ""));
    assertThat(rules.get(2).destinations()).isEmpty();
  }

  @Test
  void writesTheNewActionsCanonicallyAndReadsThemBack() {
    Route route =
        route(
            """
                - destinations: [{subset: v1, weight: 90}, {subset: v2, weight: 10}]
                  stickyBy: {header: x-user-id}
                  rewrite: {regex: {pattern: "^/a/(.*)$", substitution: "/b/\\\\1"}, host: b.internal}
                - redirect: {host: example.com, status: 302}
                - directResponse: {status: 404, body: nothing here}
            """);

    String yaml = ResourceCodec.toYaml(route);

    assertThat(yaml)
        .contains("stickyBy: {header: x-user-id}")
        .contains("redirect: {host: example.com, status: 302}")
        .contains("directResponse: {status: 404, body: nothing here}")
        .doesNotContain("destinations: []");
    assertThat(ResourceCodec.parse("again.yaml", yaml).getFirst().resource()).isEqualTo(route);
  }

  @Test
  void aRuleHasExactlyOneAction() {
    assertThat(
            problems(
                """
                    - destinations: [{subset: v1}]
                      redirect: {host: example.com}
                      directResponse: {status: 200}
                    - name: nothing
            """))
        .containsExactly(
            "orders.yaml:8:21: spec.rules[0].redirect: a rule has exactly one of destinations,"
                + " redirect or directResponse; destinations is set too",
            "orders.yaml:9:27: spec.rules[0].directResponse: a rule has exactly one of"
                + " destinations, redirect or directResponse; destinations is set too",
            "orders.yaml:10:11: spec.rules[1].destinations: missing required field");
  }

  @Test
  void refusesForwardingSettingsOnAnAnsweringRule() {
    assertThat(
            problems(
                """
                    - directResponse: {status: 200}
                      timeout: 1s
                      mirror: [{subset: v2}]
                      stickyBy: {header: x-user}
            """))
        .containsExactly(
            "orders.yaml:8:20: spec.rules[0].timeout: not allowed with directResponse: the sidecar"
                + " answers the request itself, nothing is forwarded",
            "orders.yaml:9:19: spec.rules[0].mirror: not allowed with directResponse: the sidecar"
                + " answers the request itself, nothing is forwarded",
            "orders.yaml:10:21: spec.rules[0].stickyBy: not allowed with directResponse: the"
                + " sidecar answers the request itself, nothing is forwarded");
  }

  @Test
  void checksRedirectsAndDirectResponses() {
    assertThat(
            problems(
                """
                    - redirect: {status: 304}
                    - redirect: {scheme: ftp, path: /a, prefix: /b}
                    - directResponse: {body: "x"}
                    - directResponse: {status: 700}
            """))
        .containsExactly(
            "orders.yaml:7:21: spec.rules[0].redirect: expected at least one of scheme, host, path"
                + " or prefix (a redirect to the same URL would loop)",
            "orders.yaml:7:30: spec.rules[0].redirect.status: expected one of 301, 302, 303, 307"
                + " or 308, got 304",
            "orders.yaml:8:21: spec.rules[1].redirect: expected at most one of path or prefix",
            "orders.yaml:8:30: spec.rules[1].redirect.scheme: expected http or https, got \"ftp\"",
            "orders.yaml:9:27: spec.rules[2].directResponse.status: missing required field",
            "orders.yaml:10:36: spec.rules[3].directResponse.status: expected a whole number from"
                + " 200 to 599, got 700");
  }

  @Test
  void checksStickinessAndRewrites() {
    assertThat(
            problems(
                """
                    - match: [{path: {regex: "/a.*"}}]
                      destinations: [{subset: v1}]
                      stickyBy: {header: x-a, cookie: a}
                      rewrite: {prefix: /b/, regex: {pattern: "(a)", substitution: "\\\\2"}}
                    - destinations: [{subset: v1}]
                      rewrite: {}
                    - destinations: [{subset: v1}]
                      rewrite: {host: "bad host"}
            """))
        .containsExactly(
            "orders.yaml:9:21: spec.rules[0].stickyBy: expected exactly one of header or cookie",
            "orders.yaml:10:20: spec.rules[0].rewrite: expected at most one of prefix or regex",
            "orders.yaml:10:29: spec.rules[0].rewrite.prefix: a prefix rewrite needs every match's"
                + " path to be exact, prefix or absent (a regex match has no prefix to replace);"
                + " use a regex rewrite instead",
            "orders.yaml:10:72: spec.rules[0].rewrite.regex.substitution: \\2 names a group the"
                + " pattern does not have (it has 1)",
            "orders.yaml:12:20: spec.rules[1].rewrite: expected at least one of prefix, regex or"
                + " host",
            "orders.yaml:14:27: spec.rules[2].rewrite.host: expected a host name, optionally with a"
                + " port (orders.internal, example.com:8443), got \"bad host\"");
  }
}
