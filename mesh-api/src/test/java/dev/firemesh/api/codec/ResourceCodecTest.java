package dev.firemesh.api.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.api.resource.AuthorizationPolicy;
import dev.firemesh.api.resource.Config;
import dev.firemesh.api.resource.Metadata;
import dev.firemesh.api.resource.Resource;
import dev.firemesh.api.resource.Route;
import dev.firemesh.api.resource.Route.Destination;
import dev.firemesh.api.resource.Route.Fault;
import dev.firemesh.api.resource.Route.RetryOn;
import dev.firemesh.api.resource.Service;
import dev.firemesh.api.resource.TrafficPolicy;
import dev.firemesh.api.validation.ParsedResource;
import dev.firemesh.api.validation.SourcePosition;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Valid documents of every kind: what they read as, what defaults apply, how they are written. */
class ResourceCodecTest {

  static final String BRIEF_ROUTE =
      """
      apiVersion: firemesh.dev/v1
      kind: Route
      metadata:
        name: orders
        labels: {team: trading}
      spec:
        service: orders
        rules:
          - name: beta-users
            match:
              - headers:
                  - name: x-user-group
                    exact: beta
            destinations:
              - subset: v2
          - match:
              - path: {prefix: /orders}
                methods: [GET, POST]
                cookies: [{name: variant, regex: "b.*"}]
            destinations:
              - {subset: v1, weight: 90}
              - {subset: v2, weight: 10}
            timeout: 2s
            retry: {attempts: 3, perTryTimeout: 500ms, retryOn: [connect-failure, gateway-error, 5xx], backoffBase: 25ms, backoffMax: 250ms}
            fault: {delay: {percent: 5, duration: 100ms}, abort: {percent: 1, httpStatus: 503}}
            mirror: [{subset: v3, percent: 10}]
      """;

  private static Resource one(String yaml) {
    List<ParsedResource> parsed = ResourceCodec.parse("test.yaml", yaml);
    assertThat(parsed).hasSize(1);
    return parsed.getFirst().resource();
  }

  @Test
  void readsEveryPartOfARoute() {
    Route expected =
        new Route(
            new Metadata("orders", Map.of("team", "trading")),
            new Route.Spec(
                "orders",
                List.of(
                    new Route.Rule(
                        "beta-users",
                        List.of(
                            new Route.Match(
                                new Route.PathMatch.Any(),
                                List.of(),
                                List.of(
                                    new Route.HeaderMatch(
                                        "x-user-group", new Route.ValueMatch.Exact("beta"), false)),
                                List.of())),
                        List.of(new Destination("orders", "v2", 1)),
                        Duration.ZERO,
                        Route.RetryPolicy.NONE,
                        Fault.NONE,
                        List.of()),
                    new Route.Rule(
                        "",
                        List.of(
                            new Route.Match(
                                new Route.PathMatch.Prefix("/orders"),
                                List.of("GET", "POST"),
                                List.of(),
                                List.of(
                                    new Route.CookieMatch(
                                        "variant", new Route.ValueMatch.Regex("b.*"), false)))),
                        List.of(
                            new Destination("orders", "v1", 90),
                            new Destination("orders", "v2", 10)),
                        Duration.ofSeconds(2),
                        new Route.RetryPolicy(
                            3,
                            Duration.ofMillis(500),
                            List.of(
                                RetryOn.CONNECT_FAILURE,
                                RetryOn.GATEWAY_ERROR,
                                RetryOn.SERVER_ERROR),
                            Duration.ofMillis(25),
                            Duration.ofMillis(250)),
                        new Fault(
                            new Fault.Delay(5, Duration.ofMillis(100)), new Fault.Abort(1, 503, 0)),
                        List.of(new Route.Mirror("orders", "v3", 10))))));

    assertThat(one(BRIEF_ROUTE)).isEqualTo(expected);
  }

  @Test
  void writesARouteAsAPersonWould() {
    assertThat(ResourceCodec.toYaml(one(BRIEF_ROUTE)))
        .isEqualTo(
            """
            apiVersion: firemesh.dev/v1
            kind: Route
            metadata:
              name: orders
              labels: {team: trading}
            spec:
              service: orders
              rules:
                - name: beta-users
                  match:
                    - headers:
                        - {name: x-user-group, exact: beta}
                  destinations:
                    - {subset: v2}
                - match:
                    - path: {prefix: /orders}
                      methods: [GET, POST]
                      cookies:
                        - {name: variant, regex: b.*}
                  destinations:
                    - {subset: v1, weight: 90}
                    - {subset: v2, weight: 10}
                  timeout: 2s
                  retry:
                    attempts: 3
                    perTryTimeout: 500ms
                    retryOn: [connect-failure, gateway-error, 5xx]
                    backoffBase: 25ms
                    backoffMax: 250ms
                  fault:
                    delay: {percent: 5, duration: 100ms}
                    abort: {percent: 1, httpStatus: 503}
                  mirror:
                    - {subset: v3, percent: 10}
            """);
  }

  @Test
  void fillsRouteDefaults() {
    Route route =
        (Route)
            one(
                """
                apiVersion: firemesh.dev/v1
                kind: Route
                metadata: {name: orders}
                spec:
                  service: orders
                  rules:
                    - destinations: [{}]
                      mirror: [{service: audit}]
                """);

    Route.Rule rule = route.spec().rules().getFirst();
    assertThat(rule.name()).isEmpty();
    assertThat(rule.matches()).isEmpty();
    assertThat(rule.destinations()).containsExactly(new Destination("orders", "", 1));
    assertThat(rule.timeout()).isZero();
    assertThat(rule.retry()).isEqualTo(Route.RetryPolicy.NONE);
    assertThat(rule.fault()).isEqualTo(Fault.NONE);
    assertThat(rule.mirrors()).containsExactly(new Route.Mirror("audit", "", 100));
    assertThat(route.metadata().labels()).isEmpty();
  }

  @Test
  void anEmptyDestinationServiceMeansTheRoutesOwn() {
    Route built =
        new Route(
            Metadata.named("orders"),
            new Route.Spec(
                "orders",
                List.of(
                    new Route.Rule(
                        "",
                        List.of(),
                        List.of(new Destination("", "v1", 1)),
                        Duration.ZERO,
                        Route.RetryPolicy.NONE,
                        Fault.NONE,
                        List.of(new Route.Mirror("", "v2", 100))))));

    Route read = (Route) ResourceCodec.fromJson(ResourceCodec.toJson(built));

    assertThat(read.spec().rules().getFirst().destinations())
        .containsExactly(new Destination("orders", "v1", 1));
    assertThat(read.spec().rules().getFirst().mirrors())
        .containsExactly(new Route.Mirror("orders", "v2", 100));
  }

  @Test
  void readsAService() {
    Service service =
        (Service)
            one(
                """
                apiVersion: firemesh.dev/v1
                kind: Service
                metadata: {name: orders}
                spec:
                  ports: [{name: http, port: 8080, protocol: http1}, {name: grpc, port: 9090, protocol: GRPC}]
                  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
                """);

    assertThat(service.spec().ports())
        .containsExactly(
            new Service.Port("http", 8080, Service.Protocol.HTTP1),
            new Service.Port("grpc", 9090, Service.Protocol.GRPC));
    assertThat(service.spec().subset("v2"))
        .contains(new Service.Subset("v2", Map.of("version", "v2")));
  }

  @Test
  void trafficPolicyBlocksDefaultFieldByField() {
    TrafficPolicy policy =
        (TrafficPolicy)
            one(
                """
                apiVersion: firemesh.dev/v1
                kind: TrafficPolicy
                metadata: {name: orders}
                spec:
                  service: orders
                  subset: v2
                  loadBalancer: {policy: ring-hash, hashHeader: X-Account}
                  circuitBreaker: {maxRequests: 100, retryBudget: {percent: 20}}
                  outlierDetection: {consecutive5xx: 5, interval: 1.5s}
                  healthCheck: {type: http, path: /health, interval: 1m30s}
                """);

    TrafficPolicy.Spec spec = policy.spec();
    assertThat(spec.subset()).isEqualTo("v2");
    assertThat(spec.loadBalancer())
        .isEqualTo(
            new TrafficPolicy.LoadBalancer(
                TrafficPolicy.LoadBalancer.Policy.RING_HASH, "x-account"));
    assertThat(spec.connectionPool()).isEqualTo(TrafficPolicy.ConnectionPool.DEFAULT);
    assertThat(spec.circuitBreaker())
        .isEqualTo(
            new TrafficPolicy.CircuitBreaker(
                1024, 1024, 100, 3, new TrafficPolicy.RetryBudget(20, 3)));
    assertThat(spec.outlierDetection())
        .isEqualTo(
            new TrafficPolicy.OutlierDetection(
                5, 0, Duration.ofMillis(1500), Duration.ofSeconds(30), 10));
    assertThat(spec.healthCheck())
        .isEqualTo(
            new TrafficPolicy.HealthCheck(
                TrafficPolicy.HealthCheck.Type.HTTP,
                "/health",
                Duration.ofSeconds(90),
                Duration.ofSeconds(1),
                3,
                2));
    assertThat(ResourceCodec.toJson(policy))
        .isEqualTo(
            "{\"apiVersion\":\"firemesh.dev/v1\",\"kind\":\"TrafficPolicy\",\"metadata\":{\"name\":\"orders\"},"
                + "\"spec\":{\"service\":\"orders\",\"subset\":\"v2\","
                + "\"loadBalancer\":{\"policy\":\"RING_HASH\",\"hashHeader\":\"x-account\"},"
                + "\"circuitBreaker\":{\"maxRequests\":100,\"retryBudget\":{\"percent\":20}},"
                + "\"outlierDetection\":{\"consecutive5xx\":5,\"interval\":\"1500ms\"},"
                + "\"healthCheck\":{\"type\":\"HTTP\",\"path\":\"/health\",\"interval\":\"90s\"}}}");
  }

  @Test
  void readsOutlierDetectionWithSuccessRateAndAPanicThreshold() {
    TrafficPolicy policy =
        (TrafficPolicy)
            one(
                """
                apiVersion: firemesh.dev/v1
                kind: TrafficPolicy
                metadata: {name: orders}
                spec:
                  service: orders
                  loadBalancer: {panicThreshold: 30}
                  outlierDetection:
                    consecutiveGatewayErrors: 3
                    maxEjectionTime: 2m
                    successRate: {requestVolume: 50, stdevFactor: 1.5}
                """);

    TrafficPolicy.OutlierDetection outliers = policy.spec().outlierDetection();
    assertThat(outliers.successRate()).isEqualTo(new TrafficPolicy.SuccessRate(true, 5, 50, 1.5));
    assertThat(outliers.maxEjectionTime()).isEqualTo(Duration.ofMinutes(2));
    assertThat(outliers.enabled()).isTrue();
    assertThat(policy.spec().loadBalancer().panicThreshold()).isEqualTo(30.0);
    assertThat(ResourceCodec.toJson(policy))
        .contains(
            "\"loadBalancer\":{\"panicThreshold\":30},"
                + "\"outlierDetection\":{\"consecutiveGatewayErrors\":3,"
                + "\"successRate\":{\"requestVolume\":50,\"stdevFactor\":1.5},"
                + "\"maxEjectionTime\":\"2m\"}");
  }

  @Test
  void anEmptySuccessRateBlockTurnsItOnWithDefaults() {
    TrafficPolicy policy =
        (TrafficPolicy)
            one(
                """
                apiVersion: firemesh.dev/v1
                kind: TrafficPolicy
                metadata: {name: orders}
                spec:
                  service: orders
                  outlierDetection: {successRate: {}}
                """);
    assertThat(policy.spec().outlierDetection().successRate())
        .isEqualTo(new TrafficPolicy.SuccessRate(true, 5, 100, 1.9));
    assertThat(ResourceCodec.toJson(policy)).contains("\"outlierDetection\":{\"successRate\":{}}");
  }

  @Test
  void readsAMaglevPolicyThatIgnoresLocality() {
    TrafficPolicy policy =
        (TrafficPolicy)
            one(
                """
                apiVersion: firemesh.dev/v1
                kind: TrafficPolicy
                metadata: {name: quotes}
                spec:
                  service: quotes
                  loadBalancer: {policy: maglev, hashHeader: X-Account, tableSize: 131071, localityAware: false}
                """);

    assertThat(policy.spec().loadBalancer())
        .isEqualTo(
            new TrafficPolicy.LoadBalancer(
                TrafficPolicy.LoadBalancer.Policy.MAGLEV, "x-account", 131_071, false));
    assertThat(ResourceCodec.toJson(policy))
        .contains(
            "\"loadBalancer\":{\"policy\":\"MAGLEV\",\"hashHeader\":\"x-account\","
                + "\"tableSize\":131071,\"localityAware\":false}");
  }

  @Test
  void readsAnAuthorizationPolicy() {
    AuthorizationPolicy policy =
        (AuthorizationPolicy)
            one(
                """
                apiVersion: firemesh.dev/v1
                kind: AuthorizationPolicy
                metadata: {name: orders}
                spec:
                  service: orders
                  action: deny
                  rules:
                    - from: {identities: ["spiffe://prod.bank/env/prod/svc/gateway"]}
                      to: {methods: [post], paths: ["/orders*"]}
                      when: [{header: X-Desk, values: [fx, rates]}]
                    - {}
                """);

    assertThat(policy.spec().action()).isEqualTo(AuthorizationPolicy.Action.DENY);
    assertThat(policy.spec().rules())
        .containsExactly(
            new AuthorizationPolicy.Rule(
                new AuthorizationPolicy.Source(
                    List.of("spiffe://prod.bank/env/prod/svc/gateway"),
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of()),
                new AuthorizationPolicy.Operation(List.of("POST"), List.of("/orders*")),
                List.of(new AuthorizationPolicy.Condition("x-desk", List.of("fx", "rates")))),
            new AuthorizationPolicy.Rule(
                AuthorizationPolicy.Source.ANY, AuthorizationPolicy.Operation.ANY, List.of()));
  }

  @Test
  void configValuesAreImmutableWithOneTypePerKindOfNumber() {
    Config config =
        (Config)
            one(
                """
                apiVersion: firemesh.dev/v1
                kind: Config
                metadata: {name: orders-prod}
                spec:
                  service: orders
                  environment: prod
                  region: eu-west
                  values:
                    maxOrderQuantity: 100000
                    maxNotional: 5000000.50
                    whole: 5.
                    ratio: 1e-3
                    enabled: true
                    venues: [XLON, XPAR]
                    limits: {perSecond: 50, nested: [{deep: yes}]}
                """);

    Map<String, Object> values = config.spec().values();
    assertThat(values.get("maxOrderQuantity")).isEqualTo(100000L);
    assertThat(values.get("maxNotional")).isEqualTo(new BigDecimal("5000000.50"));
    assertThat(values.get("whole")).isEqualTo(new BigDecimal("5.0"));
    assertThat(values.get("ratio")).isEqualTo(new BigDecimal("1e-3"));
    assertThat(values.get("enabled")).isEqualTo(true);
    assertThat(values.get("venues")).isEqualTo(List.of("XLON", "XPAR"));
    assertThat(values.get("limits"))
        .isEqualTo(Map.of("perSecond", 50L, "nested", List.of(Map.of("deep", "yes"))));
    assertThatThrownBy(() -> values.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    List<Object> venues = (List<Object>) values.get("venues");
    assertThatThrownBy(() -> venues.add("XETR")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(config.spec().instance()).isEmpty();
  }

  @Test
  void configValuesBuiltInCodeAreNormalised() {
    Config config =
        new Config(
            Metadata.named("c"),
            new Config.Spec(
                "orders",
                "dev",
                "",
                "",
                Map.of("i", 5, "d", 1.5, "list", List.of(Map.of("x", 2)))));

    assertThat(config.spec().values())
        .isEqualTo(Map.of("i", 5L, "d", new BigDecimal("1.5"), "list", List.of(Map.of("x", 2L))));
    assertThat(ResourceCodec.fromJson(ResourceCodec.toJson(config))).isEqualTo(config);
  }

  @Test
  void canonicalJsonLeavesDefaultsOutAndSortsMaps() {
    Service service =
        new Service(
            new Metadata("orders", Map.of("z", "1", "a", "2")),
            new Service.Spec(
                List.of(new Service.Port("http", 8080, Service.Protocol.HTTP1)), List.of()));

    assertThat(ResourceCodec.toJson(service))
        .isEqualTo(
            "{\"apiVersion\":\"firemesh.dev/v1\",\"kind\":\"Service\","
                + "\"metadata\":{\"name\":\"orders\",\"labels\":{\"a\":\"2\",\"z\":\"1\"}},"
                + "\"spec\":{\"ports\":[{\"name\":\"http\",\"port\":8080,\"protocol\":\"http1\"}]}}");
  }

  @Test
  void treeFormIsJacksonsAndReadsBack() {
    Resource route = one(BRIEF_ROUTE);

    JsonNode tree = ResourceCodec.toTree(route);

    assertThat(tree.path("spec").path("rules").get(1).path("timeout").asText()).isEqualTo("2s");
    assertThat(ResourceCodec.fromTree(tree)).isEqualTo(route);
  }

  @Test
  void readsSeveralDocumentsSkippingEmptyOnes() {
    List<ParsedResource> parsed =
        ResourceCodec.parse(
            "all.yaml",
            """
            ---
            # nothing here
            ---
            apiVersion: firemesh.dev/v1
            kind: Service
            metadata: {name: a}
            spec: {ports: [{name: http, port: 80, protocol: http1}]}
            ---
            ---
            apiVersion: firemesh.dev/v1
            kind: Service
            metadata: {name: b}
            spec: {ports: [{name: http, port: 80, protocol: http1}]}
            ...
            """);

    assertThat(parsed).extracting(p -> p.resource().name()).containsExactly("a", "b");
    assertThat(parsed.get(1).position()).isEqualTo(new SourcePosition("all.yaml", 10, 1));
    assertThat(parsed.get(1).positionOf("spec.ports[0].port"))
        .isEqualTo(new SourcePosition("all.yaml", 13, 35));
    assertThat(parsed.get(1).positionOf("spec.subsets"))
        .isEqualTo(parsed.get(1).positionOf("spec"));
    assertThat(ResourceCodec.parse("empty.yaml", "")).isEmpty();
    assertThat(ResourceCodec.parse("comments.yaml", "# only a comment\n---\n")).isEmpty();
  }

  @Test
  void writesSeveralDocuments() {
    List<Resource> resources =
        ResourceCodec.parse(
                "x.yaml",
                BRIEF_ROUTE + "---\n" + BRIEF_ROUTE.replace("name: orders", "name: other"))
            .stream()
            .map(ParsedResource::resource)
            .toList();

    String yaml = ResourceCodec.toYaml(resources);

    assertThat(yaml).contains("\n---\napiVersion: firemesh.dev/v1\n");
    assertThat(ResourceCodec.parse("x.yaml", yaml))
        .map(ParsedResource::resource)
        .isEqualTo(resources);
  }

  @Test
  void readsJsonAndUtf8BytesWithABom() {
    String json =
        "{\"apiVersion\":\"firemesh.dev/v1\",\"kind\":\"Config\",\"metadata\":{\"name\":\"c\"},"
            + "\"spec\":{\"service\":\"orders\",\"environment\":\"dev\",\"values\":{\"greeting\":\"gr\\u00fc\\u00df dich\"}}}";
    Config config = (Config) ResourceCodec.fromJson(json);
    assertThat(config.spec().values()).containsEntry("greeting", "grüß dich");

    byte[] bom = "\uFEFF".getBytes(StandardCharsets.UTF_8);
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, bytes, 0, bom.length);
    System.arraycopy(body, 0, bytes, bom.length, body.length);
    assertThat(ResourceCodec.parse("c.json", bytes).getFirst().resource()).isEqualTo(config);
  }

  @Test
  void acceptsEnumsInAnyCaseAndDurationsInEveryUnit() {
    Route route =
        (Route)
            one(
                """
                apiVersion: firemesh.dev/v1
                kind: route
                metadata: {name: r}
                spec:
                  service: orders
                  rules:
                    - destinations: [{weight: 0}, {subset: v2}]
                      timeout: 1h1m1s1ms1us1ns
                      retry: {attempts: 1, retryOn: [5XX, Connect-Failure, DEADLINE_EXCEEDED], perTryTimeout: 0}
                """);

    Route.Rule rule = route.spec().rules().getFirst();
    assertThat(rule.timeout()).isEqualTo(Duration.ofNanos(3_661_001_001_001L));
    assertThat(rule.retry().retryOn())
        .containsExactly(
            RetryOn.SERVER_ERROR, RetryOn.CONNECT_FAILURE, RetryOn.GRPC_DEADLINE_EXCEEDED);
    assertThat(ResourceCodec.toJson(route)).contains("\"timeout\":\"3661001001001ns\"");
  }

  @Test
  void durationsAreWrittenInTheLargestExactUnit() {
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Durations.format(Duration.ofHours(2))).isEqualTo("2h");
    assertThat(Durations.format(Duration.ofNanos(1500))).isEqualTo("1500ns");
    assertThat(Durations.parse("1.5s")).contains(Duration.ofMillis(1500));
    assertThat(Durations.parse("250ms")).contains(Duration.ofMillis(250));
    assertThat(Durations.parse("1m")).contains(Duration.ofMinutes(1));
    assertThat(Durations.parse("2µs")).contains(Duration.ofNanos(2000));
    assertThat(Durations.parse("0")).contains(Duration.ZERO);
    assertThat(Durations.parse("2")).isEmpty();
    assertThat(Durations.parse("-1s")).isEmpty();
    assertThat(Durations.parse("1.5ns")).isEmpty();
    assertThat(Durations.parse("8761h")).isEmpty();
    assertThat(Durations.parse("1 s")).isEmpty();
  }

  @Test
  void readsTheIdempotencyKeyOptInAndAFaultAimedByHeader() {
    Route route =
        (Route)
            one(
                """
                apiVersion: firemesh.dev/v1
                kind: Route
                metadata: {name: orders}
                spec:
                  service: orders
                  rules:
                    - destinations: [{}]
                      retry: {attempts: 2, retryOn: [5xx], idempotencyKey: true}
                      fault:
                        abort: {percent: 100, httpStatus: 503}
                        headers: [{name: x-chaos, exact: "on"}]
                """);

    Route.Rule rule = route.spec().rules().getFirst();
    assertThat(rule.retry().idempotencyKey()).isTrue();
    assertThat(rule.fault().headers())
        .containsExactly(new Route.HeaderMatch("x-chaos", new Route.ValueMatch.Exact("on"), false));
    assertThat(ResourceCodec.toJson(route))
        .contains("\"idempotencyKey\":true")
        .contains("\"headers\":[{\"name\":\"x-chaos\",\"exact\":\"on\"}]");
  }
}
