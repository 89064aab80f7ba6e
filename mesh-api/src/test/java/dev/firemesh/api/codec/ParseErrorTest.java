package dev.firemesh.api.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firemesh.api.validation.InvalidResourceException;
import dev.firemesh.api.validation.Problem;
import dev.firemesh.api.validation.SourcePosition;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each class of error, with the exact position and field a user is pointed at. */
class ParseErrorTest {

  private static InvalidResourceException refusal(String yaml) {
    try {
      ResourceCodec.parse("orders.yaml", yaml);
    } catch (InvalidResourceException e) {
      return e;
    }
    throw new AssertionError("expected the document to be refused:\n" + yaml);
  }

  private static List<String> problems(String yaml) {
    return refusal(yaml).problems().stream().map(Problem::toString).toList();
  }

  @Test
  void pointsAtTheValueThatIsWrong() {
    String yaml =
        """
        apiVersion: firemesh.dev/v1
        kind: Route
        metadata:
          name: orders
        spec:
          service: orders
          rules:
            - destinations:
                - subset: v1
            - match:
                - path: {prefix: /orders}
              destinations:
                  - subset: v2
                    weight: ninety
        """;

    InvalidResourceException e = refusal(yaml);

    assertThat(e.getMessage())
        .isEqualTo(
            "orders.yaml:14:21: spec.rules[1].destinations[0].weight: expected a whole number from 0"
                + " to 1000000, got \"ninety\"");
    Problem problem = e.problems().getFirst();
    assertThat(problem.position()).isEqualTo(new SourcePosition("orders.yaml", 14, 21));
    assertThat(problem.field()).isEqualTo("spec.rules[1].destinations[0].weight");
    assertThat(problem.toMap())
        .containsExactly(
            Map.entry("file", "orders.yaml"),
            Map.entry("line", 14),
            Map.entry("column", 21),
            Map.entry("field", "spec.rules[1].destinations[0].weight"),
            Map.entry("message", "expected a whole number from 0 to 1000000, got \"ninety\""));
  }

  @Test
  void reportsUnknownFieldsWithASuggestionAndMissingOnes() {
    assertThat(
            problems(
                """
                apiVersion: firemesh.dev/v1
                kind: Service
                metadata:
                  name: orders
                spec:
                  prots:
                    - {name: http, port: 8080, protocol: http1}
                """))
        .containsExactly(
            "orders.yaml:6:3: spec.ports: missing required field",
            "orders.yaml:6:3: spec.prots: unknown field (did you mean \"ports\"?)");
  }

  @Test
  void reportsUnknownVersionKindAndEnvelopeProblemsTogether() {
    assertThat(
            problems(
                """
                apiVersion: firemesh.dev/v2
                kind: Rout
                metadata:
                  name: Orders
                  lables: {}
                spec: {}
                """))
        .containsExactly(
            "orders.yaml:1:13: apiVersion: expected firemesh.dev/v1, got \"firemesh.dev/v2\"",
            "orders.yaml:2:7: kind: expected one of Service, Route, TrafficPolicy,"
                + " AuthorizationPolicy, Config, RateLimit, Canary, MutualTls, got \"Rout\" (did you"
                + " mean \"Route\"?)",
            "orders.yaml:4:9: metadata.name: expected a name of lower-case letters, digits and '-',"
                + " starting and ending with a letter or digit, at most 63 characters, got \"Orders\"",
            "orders.yaml:5:3: metadata.lables: unknown field (did you mean \"labels\"?)");
    assertThat(
            problems(
                "kind: Service\nmetadata: {name: a}\nspec: {ports: [{name: a, port: 1, protocol: tcp}]}\n"))
        .containsExactly("orders.yaml:1:1: apiVersion: missing required field");
  }

  @Test
  void reportsWrongTypes() {
    assertThat(
            problems(
                """
                apiVersion: firemesh.dev/v1
                kind: Service
                metadata:
                  name: orders
                  labels: {version: 2}
                spec:
                  ports: {name: http}
                """))
        .containsExactly(
            "orders.yaml:5:21: metadata.labels.version: expected a label value (up to 63 letters,"
                + " digits, '-', '_' or '.'), got 2 (put it in quotes to use it as text)",
            "orders.yaml:7:10: spec.ports: expected a list, got a mapping");
  }

  @Test
  void reportsRangesDurationsPercentagesAndRegexes() {
    assertThat(
            problems(
                """
                apiVersion: firemesh.dev/v1
                kind: Route
                metadata: {name: orders}
                spec:
                  service: orders
                  rules:
                    - match:
                        - path: {regex: "(unclosed"}
                          headers: [{name: x-a, regex: '(a)\\1'}]
                      destinations: [{subset: v1, weight: 2000000}]
                      timeout: 2 seconds
                      fault: {delay: {percent: 150, duration: 1s}}
                """))
        .containsExactly(
            "orders.yaml:8:25: spec.rules[0].match[0].path.regex: expected a regular expression"
                + " (RE2 syntax), got \"(unclosed\": Unclosed group near index 9",
            "orders.yaml:9:40: spec.rules[0].match[0].headers[0].regex: expected a regular"
                + " expression (RE2 syntax), got \"(a)\\\\1\": backreferences are not supported",
            "orders.yaml:10:43: spec.rules[0].destinations[0].weight: expected a whole number from 0"
                + " to 1000000, got 2000000",
            "orders.yaml:11:16: spec.rules[0].timeout: expected a duration such as 250ms, 1.5s, 2m or"
                + " 1h (at most 8760h), got \"2 seconds\"",
            "orders.yaml:12:32: spec.rules[0].fault.delay.percent: expected a percentage from 0 to"
                + " 100, got 150");
  }

  @Test
  void reportsBadNamesAndDuplicatesWithinAService() {
    assertThat(
            problems(
                """
                apiVersion: firemesh.dev/v1
                kind: Service
                metadata: {name: Orders_Service}
                spec:
                  ports:
                    - {name: http, port: 8080, protocol: http1}
                    - {name: http, port: 8080, protocol: http3}
                  subsets:
                    - {name: v1, labels: {version: v1}}
                    - {name: v1, labels: {}}
                """))
        .containsExactly(
            "orders.yaml:3:18: metadata.name: expected a name of lower-case letters, digits and '-',"
                + " starting and ending with a letter or digit, at most 63 characters, got"
                + " \"Orders_Service\"",
            "orders.yaml:7:14: spec.ports[1].name: duplicate port name \"http\" (first at line 6)",
            "orders.yaml:7:26: spec.ports[1].port: duplicate port number 8080 (first at line 6)",
            "orders.yaml:7:42: spec.ports[1].protocol: expected one of http1, http2, grpc, tcp, got"
                + " \"http3\" (did you mean \"http1\"?)",
            "orders.yaml:10:14: spec.subsets[1].name: duplicate subset name \"v1\" (first at line 9)",
            "orders.yaml:10:26: spec.subsets[1].labels: expected at least one label to select"
                + " instances by");
  }

  @Test
  void refusesWeightsThatAreAllZero() {
    assertThat(
            problems(
                """
                apiVersion: firemesh.dev/v1
                kind: Route
                metadata: {name: orders}
                spec:
                  service: orders
                  rules:
                    - destinations: [{subset: v1, weight: 0}, {subset: v2, weight: 0}]
                """))
        .containsExactly(
            "orders.yaml:7:21: spec.rules[0].destinations: the weights of the destinations are all"
                + " 0; at least one must be positive");
  }

  @Test
  void refusesTheSameResourceTwiceInAFile() {
    String service =
        """
        apiVersion: firemesh.dev/v1
        kind: Service
        metadata: {name: a}
        spec: {ports: [{name: http, port: 80, protocol: http1}]}
        """;

    assertThat(problems(service + "---\n" + service))
        .containsExactly(
            "orders.yaml:8:18: metadata.name: Service/a is defined twice (first at line 1)");
  }

  @Test
  void refusesAFieldSetTwice() {
    assertThat(problems("apiVersion: firemesh.dev/v1\nkind: Service\nkind: Route\n"))
        .containsExactly(
            "orders.yaml:1:1: metadata: missing required field",
            "orders.yaml:1:1: spec: missing required field",
            "orders.yaml:3:1: kind: field set twice (first at line 2)");
  }

  @Test
  void checksCrossFieldRules() {
    assertThat(
            problems(
                """
                apiVersion: firemesh.dev/v1
                kind: TrafficPolicy
                metadata: {name: orders}
                spec:
                  service: orders
                  loadBalancer: {policy: RING_HASH}
                  healthCheck: {type: TCP, path: /health}
                ---
                apiVersion: firemesh.dev/v1
                kind: Route
                metadata: {name: orders}
                spec:
                  service: orders
                  rules:
                    - destinations: [{}]
                      retry: {attempts: 2, backoffBase: 1s, backoffMax: 100ms}
                      match: [{headers: [{name: x-a, present: false}, {name: x-b}]}]
                """))
        .containsExactly(
            "orders.yaml:6:17: spec.loadBalancer.hashHeader: required when policy is RING_HASH: the"
                + " request header to hash on",
            "orders.yaml:7:34: spec.healthCheck.path: only used when type is HTTP",
            "orders.yaml:16:14: spec.rules[0].retry.retryOn: required when attempts is more than 0:"
                + " the failures to retry, e.g. [connect-failure, 5xx]",
            "orders.yaml:16:57: spec.rules[0].retry.backoffMax: expected at least backoffBase (1s),"
                + " got 100ms",
            "orders.yaml:17:47: spec.rules[0].match[0].headers[0].present: expected true; to match a"
                + " missing value write present: true with invert: true",
            "orders.yaml:17:55: spec.rules[0].match[0].headers[1]: expected exactly one of exact,"
                + " prefix, regex or present");
  }

  @Test
  void checksTheLoadBalancersFields() {
    assertThat(
            problems(
                """
                apiVersion: firemesh.dev/v1
                kind: TrafficPolicy
                metadata: {name: orders}
                spec:
                  service: orders
                  loadBalancer: {policy: MAGLEV, tableSize: 65536, localityAware: "no"}
                ---
                apiVersion: firemesh.dev/v1
                kind: TrafficPolicy
                metadata: {name: quotes}
                spec:
                  service: quotes
                  loadBalancer: {policy: RING_HASH, hashHeader: x-account, tableSize: 65537}
                """))
        .containsExactly(
            "orders.yaml:6:17: spec.loadBalancer.hashHeader: required when policy is MAGLEV: the"
                + " request header to hash on",
            "orders.yaml:6:45: spec.loadBalancer.tableSize: must be a prime (Maglev's permutations"
                + " need one), such as 65537 or 131071: 65536",
            "orders.yaml:6:67: spec.loadBalancer.localityAware: expected true or false, got"
                + " \"no\"",
            "orders.yaml:13:71: spec.loadBalancer.tableSize: only used when policy is MAGLEV");
  }

  @Test
  void checksOutlierDetectionAndPanicThreshold() {
    assertThat(
            problems(
                """
                apiVersion: firemesh.dev/v1
                kind: TrafficPolicy
                metadata: {name: orders}
                spec:
                  service: orders
                  loadBalancer: {panicThreshold: 150}
                  outlierDetection:
                    baseEjectionTime: 30s
                    maxEjectionTime: 10s
                    maxEjectionPercent: 101
                    successRate: {minimumHosts: 0, stdevFactor: -1, requestVolume: many}
                """))
        .containsExactly(
            "orders.yaml:6:34: spec.loadBalancer.panicThreshold: expected a percentage from 0 to"
                + " 100, got 150",
            "orders.yaml:9:22: spec.outlierDetection.maxEjectionTime: must not be shorter than"
                + " baseEjectionTime (30s): it caps ejections that start at the base time",
            "orders.yaml:10:25: spec.outlierDetection.maxEjectionPercent: expected a whole number"
                + " from 0 to 100, got 101",
            "orders.yaml:11:33: spec.outlierDetection.successRate.minimumHosts: expected a whole"
                + " number from 1 to 2147483647, got 0",
            "orders.yaml:11:49: spec.outlierDetection.successRate.stdevFactor: expected a number"
                + " greater than 0 and at most 1000000, got -1",
            "orders.yaml:11:68: spec.outlierDetection.successRate.requestVolume: expected a whole"
                + " number from 1 to 2147483647, got \"many\"");
  }

  @Test
  void refusesDuplicatesInLists() {
    assertThat(
            problems(
                """
                apiVersion: firemesh.dev/v1
                kind: Route
                metadata: {name: orders}
                spec:
                  service: orders
                  rules:
                    - name: a
                      match: [{methods: [GET, get]}]
                      destinations: [{subset: v1}, {service: orders, subset: v1}]
                      retry: {attempts: 1, retryOn: [5xx, 5XX]}
                    - name: a
                      destinations: [{}]
                """))
        .containsExactly(
            "orders.yaml:8:31: spec.rules[0].match[0].methods[1]: duplicate method \"GET\" (first at"
                + " line 8)",
            "orders.yaml:9:36: spec.rules[0].destinations[1]: duplicate destination \"orders/v1\""
                + " (first at line 9)",
            "orders.yaml:10:43: spec.rules[0].retry.retryOn[1]: duplicate condition \"5xx\" (first"
                + " at line 10)",
            "orders.yaml:11:13: spec.rules[1].name: duplicate rule name \"a\" (first at line 7)");
  }

  @Test
  void reportsYamlSyntaxErrorsWithTheParsersPosition() {
    assertThat(
            problems("apiVersion: firemesh.dev/v1\nkind: Service\nmetadata: {name: a\nspec: {}\n"))
        .hasSize(1)
        .first()
        .asString()
        .startsWith("orders.yaml:4:5: invalid YAML: ");
    assertThat(problems("apiVersion: firemesh.dev/v1\nspec:\n\tports: []\n"))
        .containsExactly(
            "orders.yaml:3:1: invalid YAML: found character '\\t(TAB)' that cannot start any token."
                + " (Do not use \\t(TAB) for indentation) (while scanning for the next token)");
  }

  @Test
  void keepsProblemsOfEarlierDocumentsWhenALaterOneIsUnreadable() {
    assertThat(problems("kind: Service\n---\n[unclosed\n"))
        .containsExactly(
            "orders.yaml:1:1: apiVersion: missing required field",
            "orders.yaml:1:1: metadata: missing required field",
            "orders.yaml:1:1: spec: missing required field",
            "orders.yaml:4:1: invalid YAML: expected ',' or ']', but got <stream end> (while"
                + " parsing a flow sequence)");
  }

  @Test
  void refusesBytesThatAreNotUtf8() {
    byte[] bytes =
        "apiVersion: firemesh.dev/v1\nkind: Serv\u00ffice\n".getBytes(StandardCharsets.ISO_8859_1);

    assertThatThrownBy(() -> ResourceCodec.parse("orders.yaml", bytes))
        .isInstanceOf(InvalidResourceException.class)
        .hasMessage("orders.yaml:2:11: the file is not valid UTF-8 (byte 0xFF at offset 38)");
  }

  @Test
  void refusesControlCharacters() {
    assertThat(problems("apiVersion: firemesh.dev/v1\nkind: Serv\u0007ice\n"))
        .containsExactly(
            "orders.yaml:2:11: invalid character U+0007: control characters and other"
                + " non-printable characters are not allowed");
  }

  @Test
  void collectsEveryProblemUpToFifty() {
    StringBuilder yaml =
        new StringBuilder(
            "apiVersion: firemesh.dev/v1\nkind: Service\nmetadata: {name: a}\nspec:\n  ports:\n");
    for (int i = 0; i < 60; i++) {
      yaml.append("    - {name: p").append(i).append(", port: 0, protocol: tcp}\n");
    }

    InvalidResourceException e = refusal(yaml.toString());

    assertThat(e.problems()).hasSize(50);
    assertThat(e.omitted()).isZero();
    assertThat(e.problems().getLast().toString())
        .isEqualTo(
            "orders.yaml:55:25: spec.ports[49].port: expected a whole number from 1 to 65535, got 0");
    assertThat(e.getMessage().lines()).hasSize(50);
  }

  @Test
  void countsProblemsBeyondTheLimitWhenTheyComeFromOneValue() {
    StringBuilder yaml =
        new StringBuilder(
            "apiVersion: firemesh.dev/v1\nkind: Service\nmetadata:\n  name: a\n  labels:\n");
    for (int i = 0; i < 49; i++) {
      yaml.append("    k").append(i).append(": ").append(i).append('\n');
    }
    yaml.append("    x: [1]\n    y: [2]\n");

    InvalidResourceException e = refusal(yaml.toString());

    assertThat(e.problems()).hasSize(50);
    assertThat(e.getMessage()).doesNotContain("more problems");
  }

  @Test
  void refusesABillionLaughs() {
    StringBuilder bomb =
        new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i < 10; i++) {
      bomb.append("a").append(i).append(": &a").append(i).append(" [");
      bomb.append(String.join(", ", java.util.Collections.nCopies(9, "*a" + (i - 1))))
          .append("]\n");
    }

    assertThat(problems(bomb.toString()))
        .singleElement()
        .asString()
        .contains("Number of aliases for non-scalar nodes exceeds the specified max=50");
  }

  @Test
  void boundsWhatFewAliasesExpandTo() {
    StringBuilder yaml =
        new StringBuilder(
            "apiVersion: firemesh.dev/v1\nkind: Config\nmetadata: {name: c}\nspec:\n"
                + "  service: s\n  environment: e\n  values:\n"
                + "    a0: &a0 [\""
                + "x".repeat(1000)
                + "\"]\n");
    for (int i = 1; i <= 5; i++) {
      yaml.append("    a").append(i).append(": &a").append(i).append(" [");
      yaml.append(String.join(", ", java.util.Collections.nCopies(9, "*a" + (i - 1))))
          .append("]\n");
    }

    assertThat(problems(yaml.toString()))
        .singleElement()
        .asString()
        .contains("expands to more than 100000 values or 4000000 characters");
  }

  @Test
  void refusesRecursiveAliasesInsteadOfLoopingForever() {
    assertThat(problems("x: &r {<<: *r}\n"))
        .containsExactly(
            "orders.yaml:1:12: alias *r refers to a collection that contains it; recursive"
                + " structures are not supported");
    assertThat(problems("x: &r [*r]\n")).hasSize(1);
  }

  @Test
  void refusesDeepNestingWithoutOverflowingTheStack() {
    assertThat(problems("x: " + "[".repeat(100_000)))
        .containsExactly("orders.yaml:1:67: nested deeper than 64 levels");
  }

  @Test
  void refusesHugeFilesAndNumbers() {
    assertThat(problems("#" + "x".repeat(YamlDocuments.MAX_CODE_POINTS)))
        .containsExactly(
            "orders.yaml:1:1: the file has 3145729 characters, more than the limit of 3145728");
    assertThat(
            problems(
                "apiVersion: firemesh.dev/v1\nkind: Service\nmetadata: {name: a}\n"
                    + "spec: {ports: [{name: a, port: 1"
                    + "0".repeat(400)
                    + ", protocol: tcp}]}\n"))
        .singleElement()
        .asString()
        .startsWith(
            "orders.yaml:4:32: spec.ports[0].port: expected a whole number from 1 to 65535, got 1000");
  }

  @Test
  void refusesAJsonStringWithMoreThanOneResource() {
    assertThatThrownBy(() -> ResourceCodec.fromJson("[]"))
        .isInstanceOf(InvalidResourceException.class)
        .hasMessage("json:1:1: expected a mapping, got a list");
    assertThatThrownBy(() -> ResourceCodec.fromJson(""))
        .isInstanceOf(InvalidResourceException.class)
        .hasMessage("json: expected exactly one resource, got 0");
  }

  @Test
  void aRetryBudgetNeedsAPositiveShare() {
    assertThat(
            problems(
                """
                apiVersion: firemesh.dev/v1
                kind: TrafficPolicy
                metadata: {name: orders}
                spec:
                  service: orders
                  circuitBreaker: {retryBudget: {percent: 0, minRetryConcurrency: -1}}
                """))
        .containsExactly(
            "orders.yaml:6:43: spec.circuitBreaker.retryBudget.percent: expected more than 0;"
                + " leave retryBudget out for none",
            "orders.yaml:6:67: spec.circuitBreaker.retryBudget.minRetryConcurrency: expected a"
                + " whole number from 0 to 2147483647, got -1");
  }
}
