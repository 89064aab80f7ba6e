package dev.firemesh.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.api.resource.RateLimit;
import dev.firemesh.api.resource.RateLimit.Per;
import dev.firemesh.api.resource.Route;
import dev.firemesh.api.validation.InvalidResourceException;
import dev.firemesh.api.validation.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The RateLimit kind: what a document reads as, how it is written back, and what is refused. */
class RateLimitCodecTest {

  static final String ORDERS_LIMITS =
      """
      apiVersion: firemesh.dev/v1
      kind: RateLimit
      metadata: {name: orders-limits}
      spec:
        service: orders
        rules:
          - name: place-orders
            match:
              - path: {prefix: /orders}
                methods: [post]
            tokensPerSecond: 100
            burst: 200
            per: caller
          - name: everything-else
            tokensPerSecond: 0.5
            burst: 1
      """;

  private static RateLimit read(String yaml) {
    return (RateLimit) ResourceCodec.parse("limits.yaml", yaml).getFirst().resource();
  }

  private static List<String> problems(String yaml) {
    try {
      ResourceCodec.parse("limits.yaml", yaml);
    } catch (InvalidResourceException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
    throw new AssertionError("expected the document to be refused:\n" + yaml);
  }

  @Test
  void readsRulesWithRouteMatchesFractionalRatesAndDefaults() {
    RateLimit limit = read(ORDERS_LIMITS);

    assertThat(limit.spec().service()).isEqualTo("orders");
    assertThat(limit.spec().rules())
        .containsExactly(
            new RateLimit.Rule(
                "place-orders",
                List.of(
                    new Route.Match(
                        new Route.PathMatch.Prefix("/orders"),
                        List.of("POST"),
                        List.of(),
                        List.of())),
                100,
                200,
                Per.CALLER),
            new RateLimit.Rule("everything-else", List.of(), 0.5, 1, Per.INSTANCE));
  }

  @Test
  void writesTheCanonicalFormWithDefaultsLeftOut() {
    assertThat(ResourceCodec.toYaml(read(ORDERS_LIMITS)))
        .isEqualTo(
            """
            apiVersion: firemesh.dev/v1
            kind: RateLimit
            metadata: {name: orders-limits}
            spec:
              service: orders
              rules:
                - name: place-orders
                  match:
                    - path: {prefix: /orders}
                      methods: [POST]
                  tokensPerSecond: 100
                  burst: 200
                  per: caller
                - name: everything-else
                  tokensPerSecond: 0.5
                  burst: 1
            """);
  }

  @Test
  void refusesBadNumbersWithTheirPositions() {
    assertThat(
            problems(
                """
                apiVersion: firemesh.dev/v1
                kind: RateLimit
                metadata: {name: l}
                spec:
                  service: orders
                  rules:
                    - name: a
                      tokensPerSecond: 0
                      burst: 0
                    - name: b
                      tokensPerSecond: "10"
                      burst: 2.5
                """))
        .containsExactly(
            "limits.yaml:8:24: spec.rules[0].tokensPerSecond: expected a number from 0.001 to"
                + " 1000000, got 0",
            "limits.yaml:9:14: spec.rules[0].burst: expected a whole number from 1 to 1000000, got 0",
            "limits.yaml:11:24: spec.rules[1].tokensPerSecond: expected a number from 0.001 to"
                + " 1000000, got \"10\"",
            "limits.yaml:12:14: spec.rules[1].burst: expected a whole number from 1 to 1000000, got"
                + " 2.5");
  }

  @Test
  void refusesUnknownAndMissingFieldsAndDuplicateRuleNames() {
    assertThat(
            problems(
                """
                apiVersion: firemesh.dev/v1
                kind: RateLimit
                metadata: {name: l}
                spec:
                  rules:
                    - name: a
                      tokensPerSecond: 1
                      brust: 5
                      per: caler
                    - name: a
                      match: [{path: {prefix: orders}}]
                      tokensPerSecond: 1
                      burst: 1
                """))
        .containsExactly(
            "limits.yaml:5:3: spec.service: missing required field",
            "limits.yaml:6:7: spec.rules[0].burst: missing required field",
            "limits.yaml:8:7: spec.rules[0].brust: unknown field (did you mean \"burst\"?)",
            "limits.yaml:9:12: spec.rules[0].per: expected one of caller, instance, got \"caler\""
                + " (did you mean \"caller\"?)",
            "limits.yaml:10:13: spec.rules[1].name: duplicate rule name \"a\" (first at line 6)",
            "limits.yaml:11:31: spec.rules[1].match[0].path.prefix: expected a path starting with"
                + " '/', got \"orders\"");
  }

  @Test
  void refusesARateLimitWithoutRules() {
    assertThat(
            problems(
                """
                apiVersion: firemesh.dev/v1
                kind: RateLimit
                metadata: {name: l}
                spec: {service: orders, rules: []}
                """))
        .containsExactly(
            "limits.yaml:4:32: spec.rules: expected at least one entry, got an empty list");
  }
}
