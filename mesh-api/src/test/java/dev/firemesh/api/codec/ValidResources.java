package dev.firemesh.api.codec;

import dev.firemesh.api.resource.AuthorizationPolicy;
import dev.firemesh.api.resource.Canary;
import dev.firemesh.api.resource.Config;
import dev.firemesh.api.resource.Metadata;
import dev.firemesh.api.resource.MutualTls;
import dev.firemesh.api.resource.RateLimit;
import dev.firemesh.api.resource.Resource;
import dev.firemesh.api.resource.Route;
import dev.firemesh.api.resource.Service;
import dev.firemesh.api.resource.TrafficPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators of resources the codec must accept, covering every field and its edge values. */
final class ValidResources {

  private static final String ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

  private ValidResources() {}

  static Arbitrary<Resource> any() {
    return Arbitraries.oneOf(
        services(),
        routes(),
        trafficPolicies(),
        authorizationPolicies(),
        configs(),
        rateLimits(),
        canaries(),
        mutualTls());
  }

  static Arbitrary<String> names() {
    Arbitrary<String> part = Arbitraries.strings().withChars(ALNUM).ofMinLength(1).ofMaxLength(8);
    return Combinators.combine(part, part, Arbitraries.of(true, false))
        .as((a, b, join) -> join ? a + "-" + b : a);
  }

  private static Arbitrary<String> optionalName() {
    return Arbitraries.oneOf(Arbitraries.just(""), names());
  }

  /** Printable text with some non-ASCII and a tab; what header values may hold. */
  static Arbitrary<String> headerValues() {
    return Arbitraries.strings().withCharRange(' ', '~').withChars("éü日本\t").ofMaxLength(12);
  }

  /** Any text a YAML document can carry, including line breaks and quotes. */
  static Arbitrary<String> text() {
    return Arbitraries.strings()
        .withCharRange(' ', '~')
        .withChars("éü日本\t\n\r\"'\\\u00a0\u2028")
        .ofMaxLength(16);
  }

  static Arbitrary<Metadata> metadata() {
    Arbitrary<String> keys =
        Arbitraries.oneOf(
            names(), names().map(n -> "firemesh.dev/" + n), Arbitraries.just("A_b.c"));
    Arbitrary<String> values =
        Arbitraries.oneOf(Arbitraries.just(""), names(), Arbitraries.just("V1.2_x"));
    return Combinators.combine(names(), Arbitraries.maps(keys, values).ofMaxSize(3))
        .as(Metadata::new);
  }

  static Arbitrary<Duration> durations(boolean positive) {
    long min = positive ? 1 : 0;
    return Arbitraries.oneOf(
        Arbitraries.longs().between(min, 100_000).map(Duration::ofMillis),
        Arbitraries.longs().between(min, 100_000).map(Duration::ofSeconds),
        Arbitraries.longs().between(min, 8760).map(Duration::ofHours),
        Arbitraries.longs().between(min, Duration.ofDays(365).toNanos()).map(Duration::ofNanos));
  }

  /** {@code wanted}, or {@code floor} when {@code wanted} is beyond what a duration field takes. */
  private static Duration atMostAYear(Duration floor, Duration wanted) {
    return wanted.compareTo(Duration.ofDays(365)) > 0 ? floor : wanted;
  }

  static Arbitrary<Double> percents() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(0, 100).map(Integer::doubleValue),
        Arbitraries.doubles().between(0, 100),
        Arbitraries.of(0.001, 99.999, 1e-9, 4.9e-324));
  }

  private static Arbitrary<String> regexes() {
    return Arbitraries.of(
        "b.*", "^/api/v[0-9]+/.*$", "[a-z]{2,4}", "(foo|bar)+", "\\d+\\.\\d+", ".*");
  }

  // --- Service

  static Arbitrary<Service> services() {
    Arbitrary<Service.Port> port =
        Combinators.combine(
                names(),
                Arbitraries.integers().between(1, 65535),
                Arbitraries.of(Service.Protocol.class))
            .as(Service.Port::new);
    Arbitrary<Service.Subset> subset =
        Combinators.combine(names(), Arbitraries.maps(names(), names()).ofMinSize(1).ofMaxSize(3))
            .as(Service.Subset::new);
    Arbitrary<List<Service.Port>> ports =
        port.list()
            .ofMinSize(1)
            .ofMaxSize(4)
            .uniqueElements(Service.Port::name)
            .uniqueElements(Service.Port::port);
    Arbitrary<List<Service.Subset>> subsets =
        subset.list().ofMaxSize(3).uniqueElements(Service.Subset::name);
    return Combinators.combine(metadata(), ports, subsets)
        .as((m, p, s) -> new Service(m, new Service.Spec(p, s)));
  }

  // --- Route

  static Arbitrary<Route> routes() {
    return Combinators.combine(metadata(), names())
        .flatAs(
            (metadata, service) ->
                rule(service)
                    .list()
                    .ofMinSize(1)
                    .ofMaxSize(3)
                    .uniqueElements(r -> r.name().isEmpty() ? new Object() : r.name())
                    .map(rules -> new Route(metadata, new Route.Spec(service, rules))));
  }

  private static Arbitrary<Route.Rule> rule(String service) {
    return Arbitraries.oneOf(forwardingRule(service), forwardingRule(service), answeringRule());
  }

  private static Arbitrary<Route.Rule> forwardingRule(String service) {
    Arbitrary<List<Route.Destination>> destinations =
        destination(service)
            .list()
            .ofMinSize(1)
            .ofMaxSize(3)
            .uniqueElements(d -> List.of(d.service(), d.subset()))
            .filter(ds -> ds.stream().anyMatch(d -> d.weight() > 0));
    Arbitrary<Route.StickyBy> sticky =
        Arbitraries.oneOf(
            Arbitraries.just(Route.StickyBy.NONE),
            names().map(n -> new Route.StickyBy(Route.StickyBy.Source.HEADER, "x-" + n)),
            names().map(n -> new Route.StickyBy(Route.StickyBy.Source.COOKIE, n)));
    Arbitrary<Route.PathRewrite> pathRewrite =
        Arbitraries.oneOf(
            Arbitraries.just(new Route.PathRewrite.None()),
            names().map(n -> new Route.PathRewrite.Prefix("/" + n + "/")),
            names().map(n -> new Route.PathRewrite.Regex("^/(" + n + ")/(.*)$", "/\\2/\\1")));
    Arbitrary<String> host =
        Arbitraries.oneOf(Arbitraries.just(""), names().map(n -> n + ".internal:8443"));
    Arbitrary<Route.Rewrite> rewrite =
        Combinators.combine(pathRewrite, host)
            .as(Route.Rewrite::new)
            .filter(r -> !(r.path() instanceof Route.PathRewrite.None) || !r.host().isEmpty());
    Arbitrary<Route.Forward> forward =
        Combinators.combine(
                destinations,
                sticky,
                Arbitraries.oneOf(Arbitraries.just(Route.Rewrite.NONE), rewrite))
            .as(Route.Forward::new);
    Arbitrary<Duration> timeout =
        Arbitraries.oneOf(Arbitraries.just(Duration.ZERO), durations(true));
    return Combinators.combine(
            optionalName(),
            match().list().ofMaxSize(2),
            forward,
            timeout,
            retry(),
            fault(),
            mirror(service).list().ofMaxSize(2))
        .as(
            (name, matches, action, t, r, f, m) ->
                new Route.Rule(name, matches, (Route.Action) action, t, r, f, m))
        .filter(ValidResources::prefixRewritesHaveAPrefix);
  }

  /** A prefix rewrite replaces the matched prefix, which a regex path match does not have. */
  private static boolean prefixRewritesHaveAPrefix(Route.Rule rule) {
    boolean prefix =
        switch (rule.action()) {
          case Route.Forward f -> f.rewrite().path() instanceof Route.PathRewrite.Prefix;
          case Route.Redirect r -> r.path() instanceof Route.PathRewrite.Prefix;
          case Route.DirectResponse d -> false;
        };
    return !prefix
        || rule.matches().stream().noneMatch(m -> m.path() instanceof Route.PathMatch.Regex);
  }

  private static Arbitrary<Route.Rule> answeringRule() {
    Arbitrary<Route.PathRewrite> path =
        Arbitraries.oneOf(
            Arbitraries.just(new Route.PathRewrite.None()),
            names().map(n -> new Route.PathRewrite.Full("/" + n)),
            names().map(n -> new Route.PathRewrite.Prefix("/" + n + "/")));
    Arbitrary<Route.Action> redirect =
        Combinators.combine(
                Arbitraries.of("", "http", "https"),
                Arbitraries.oneOf(Arbitraries.just(""), names().map(n -> n + ".example")),
                path,
                Arbitraries.of(301, 302, 303, 307, 308))
            .as(Route.Redirect::new)
            .filter(
                r ->
                    !r.scheme().isEmpty()
                        || !r.host().isEmpty()
                        || !(r.path() instanceof Route.PathRewrite.None))
            .map(r -> r);
    Arbitrary<Route.Action> direct =
        Combinators.combine(
                Arbitraries.integers().between(200, 599),
                Arbitraries.oneOf(Arbitraries.just(""), headerValues()))
            .as(Route.DirectResponse::new)
            .map(d -> d);
    return Combinators.combine(
            optionalName(), match().list().ofMaxSize(2), Arbitraries.oneOf(redirect, direct))
        .as(
            (name, matches, action) ->
                new Route.Rule(
                    name,
                    matches,
                    action,
                    Duration.ZERO,
                    Route.RetryPolicy.NONE,
                    Route.Fault.NONE,
                    List.of()))
        .filter(ValidResources::prefixRewritesHaveAPrefix);
  }

  private static Arbitrary<Route.Destination> destination(String service) {
    return Combinators.combine(
            Arbitraries.oneOf(Arbitraries.just(service), names()),
            optionalName(),
            Arbitraries.oneOf(
                Arbitraries.integers().between(0, 1_000_000), Arbitraries.of(0, 1, 1_000_000)))
        .as(Route.Destination::new);
  }

  private static Arbitrary<Route.Mirror> mirror(String service) {
    return Combinators.combine(
            Arbitraries.oneOf(Arbitraries.just(service), names()), optionalName(), percents())
        .as(Route.Mirror::new);
  }

  private static Arbitrary<Route.Match> match() {
    Arbitrary<Route.PathMatch> path =
        Arbitraries.oneOf(
            Arbitraries.just(new Route.PathMatch.Any()),
            names().map(n -> new Route.PathMatch.Exact("/" + n)),
            names().map(n -> new Route.PathMatch.Prefix("/" + n + "/")),
            regexes().map(Route.PathMatch.Regex::new));
    Arbitrary<List<String>> methods =
        Arbitraries.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH")
            .list()
            .ofMaxSize(3)
            .uniqueElements();
    Arbitrary<Route.ValueMatch> value =
        Arbitraries.oneOf(
            Arbitraries.just(new Route.ValueMatch.Present()),
            headerValues().map(Route.ValueMatch.Exact::new),
            headerValues().map(Route.ValueMatch.Prefix::new),
            regexes().map(Route.ValueMatch.Regex::new));
    Arbitrary<String> headerNames =
        Arbitraries.oneOf(names().map(n -> "x-" + n), Arbitraries.of(":authority", "content-type"));
    Arbitrary<Route.HeaderMatch> header =
        Combinators.combine(headerNames, value, Arbitraries.of(true, false))
            .as(Route.HeaderMatch::new);
    Arbitrary<Route.CookieMatch> cookie =
        Combinators.combine(
                Arbitraries.oneOf(names(), Arbitraries.just("Session_ID")),
                value,
                Arbitraries.of(true, false))
            .as(Route.CookieMatch::new);
    return Combinators.combine(
            path, methods, header.list().ofMaxSize(2), cookie.list().ofMaxSize(2))
        .as(Route.Match::new);
  }

  private static Arbitrary<Route.RetryPolicy> retry() {
    Arbitrary<List<Route.RetryOn>> conditions =
        Arbitraries.of(Route.RetryOn.class).list().ofMinSize(1).ofMaxSize(3).uniqueElements();
    Arbitrary<Route.RetryPolicy> enabled =
        Combinators.combine(
                Arbitraries.integers().between(1, 100),
                Arbitraries.oneOf(Arbitraries.just(Duration.ZERO), durations(true)),
                conditions,
                durations(false),
                durations(false))
            .as(
                (attempts, perTry, on, a, b) ->
                    new Route.RetryPolicy(
                        attempts,
                        perTry,
                        on,
                        a.compareTo(b) <= 0 ? a : b,
                        a.compareTo(b) <= 0 ? b : a,
                        attempts % 2 == 0));
    Arbitrary<Route.RetryPolicy> disabled =
        durations(true)
            .map(d -> new Route.RetryPolicy(0, d, List.of(), Duration.ZERO, Duration.ZERO));
    return Arbitraries.oneOf(Arbitraries.just(Route.RetryPolicy.NONE), enabled, disabled);
  }

  private static Arbitrary<Route.Fault> fault() {
    Arbitrary<Route.Fault.Delay> delay =
        Arbitraries.oneOf(
            Arbitraries.just(Route.Fault.Delay.NONE),
            Combinators.combine(percents(), durations(true)).as(Route.Fault.Delay::new));
    Arbitrary<Route.Fault.Abort> abort =
        Arbitraries.oneOf(
            Arbitraries.just(Route.Fault.Abort.NONE),
            Combinators.combine(
                    percents(),
                    Arbitraries.integers().between(200, 599),
                    Arbitraries.integers().between(0, 16))
                .as(Route.Fault.Abort::new));
    Arbitrary<List<Route.HeaderMatch>> headers =
        headerValues()
            .map(v -> new Route.HeaderMatch("x-chaos", new Route.ValueMatch.Exact(v), false))
            .list()
            .ofMaxSize(1);
    return Combinators.combine(delay, abort, headers).as(Route.Fault::new);
  }

  // --- TrafficPolicy

  static Arbitrary<TrafficPolicy> trafficPolicies() {
    Arbitrary<Integer> tableSizes =
        Arbitraries.of(TrafficPolicy.LoadBalancer.DEFAULT_TABLE_SIZE, 251, 131_071, 5_000_011);
    Arbitrary<TrafficPolicy.LoadBalancer> lb =
        Combinators.combine(
                Arbitraries.of(TrafficPolicy.LoadBalancer.Policy.class),
                names(),
                tableSizes,
                Arbitraries.of(true, false),
                Arbitraries.of(50.0, 0.0, 100.0, 12.5))
            .as(
                (p, n, size, localityAware, panic) ->
                    new TrafficPolicy.LoadBalancer(
                        p,
                        p.hashes() ? "x-" + n : "",
                        p == TrafficPolicy.LoadBalancer.Policy.MAGLEV
                            ? size
                            : TrafficPolicy.LoadBalancer.DEFAULT_TABLE_SIZE,
                        localityAware,
                        panic));
    Arbitrary<Integer> anyInt = Arbitraries.integers().between(0, Integer.MAX_VALUE);
    Arbitrary<Integer> positiveInt = Arbitraries.integers().between(1, Integer.MAX_VALUE);
    Arbitrary<TrafficPolicy.ConnectionPool> pool =
        Combinators.combine(durations(true), durations(false), anyInt)
            .as(TrafficPolicy.ConnectionPool::new);
    Arbitrary<TrafficPolicy.RetryBudget> budget =
        Arbitraries.oneOf(
            Arbitraries.just(TrafficPolicy.RetryBudget.NONE),
            Combinators.combine(Arbitraries.integers().between(1, 100), anyInt)
                .as((percent, min) -> new TrafficPolicy.RetryBudget(percent, min)));
    Arbitrary<TrafficPolicy.CircuitBreaker> breaker =
        Combinators.combine(positiveInt, positiveInt, positiveInt, anyInt, budget)
            .as(TrafficPolicy.CircuitBreaker::new);
    Arbitrary<TrafficPolicy.SuccessRate> successRates =
        Arbitraries.oneOf(
            Arbitraries.just(TrafficPolicy.SuccessRate.DEFAULT),
            Combinators.combine(
                    positiveInt, positiveInt, Arbitraries.of(1.9, 1.0, 0.5, 2.25, 1000.0))
                .as(
                    (hosts, volume, factor) ->
                        new TrafficPolicy.SuccessRate(true, hosts, volume, factor)));
    Arbitrary<TrafficPolicy.OutlierDetection> outliers =
        Combinators.combine(
                anyInt,
                anyInt,
                durations(true),
                durations(true),
                Arbitraries.integers().between(0, 100),
                successRates,
                durations(false))
            .as(
                (c5xx, gateway, interval, base, percent, rate, extra) ->
                    new TrafficPolicy.OutlierDetection(
                        c5xx,
                        gateway,
                        interval,
                        base,
                        percent,
                        rate,
                        extra.isZero()
                            ? TrafficPolicy.OutlierDetection.DEFAULT_MAX_EJECTION_TIME
                            : atMostAYear(base, base.plus(extra))));
    Arbitrary<TrafficPolicy.HealthCheck> health =
        Arbitraries.of(TrafficPolicy.HealthCheck.Type.class)
            .flatMap(
                type ->
                    Combinators.combine(
                            type == TrafficPolicy.HealthCheck.Type.HTTP
                                ? names().map(n -> "/" + n)
                                : Arbitraries.just(""),
                            durations(false),
                            durations(true),
                            positiveInt,
                            positiveInt)
                        .as(
                            (path, interval, timeout, unhealthy, healthy) ->
                                new TrafficPolicy.HealthCheck(
                                    type, path, interval, timeout, unhealthy, healthy)));
    Arbitrary<TrafficPolicy.Spec> spec =
        Combinators.combine(
                names(),
                optionalName(),
                Arbitraries.oneOf(Arbitraries.just(TrafficPolicy.LoadBalancer.DEFAULT), lb),
                Arbitraries.oneOf(Arbitraries.just(TrafficPolicy.ConnectionPool.DEFAULT), pool),
                Arbitraries.oneOf(Arbitraries.just(TrafficPolicy.CircuitBreaker.DEFAULT), breaker),
                Arbitraries.oneOf(
                    Arbitraries.just(TrafficPolicy.OutlierDetection.DEFAULT), outliers),
                Arbitraries.oneOf(Arbitraries.just(TrafficPolicy.HealthCheck.DEFAULT), health))
            .as(TrafficPolicy.Spec::new);
    return Combinators.combine(metadata(), spec).as(TrafficPolicy::new);
  }

  // --- AuthorizationPolicy

  static Arbitrary<AuthorizationPolicy> authorizationPolicies() {
    Arbitrary<List<String>> identities =
        Arbitraries.oneOf(
                names().map(n -> "spiffe://prod.bank/env/prod/svc/" + n),
                names().map(n -> "spiffe://prod.bank/env/" + n + "/*"),
                Arbitraries.just("spiffe://prod.bank/*"))
            .list()
            .ofMaxSize(2);
    Arbitrary<AuthorizationPolicy.Source> from =
        Combinators.combine(
                identities,
                names().list().ofMaxSize(2),
                names().list().ofMaxSize(2),
                identities,
                names().list().ofMaxSize(2))
            .as(AuthorizationPolicy.Source::new);
    Arbitrary<AuthorizationPolicy.Operation> to =
        Combinators.combine(
                Arbitraries.of("GET", "POST", "DELETE").list().ofMaxSize(2),
                Arbitraries.oneOf(
                        names().map(n -> "/" + n),
                        names().map(n -> "/" + n + "/*"),
                        names().map(n -> "/" + n + "%3A" + n))
                    .list()
                    .ofMaxSize(2),
                Arbitraries.oneOf(
                        names().filter(n -> n.chars().anyMatch(Character::isLetter)),
                        Arbitraries.integers().between(1, 65535).map(String::valueOf))
                    .list()
                    .ofMaxSize(2))
            .as(AuthorizationPolicy.Operation::new);
    Arbitrary<AuthorizationPolicy.Condition> condition =
        Combinators.combine(
                names().map(n -> "x-" + n), headerValues().list().ofMinSize(0).ofMaxSize(2))
            .as(AuthorizationPolicy.Condition::new);
    Arbitrary<AuthorizationPolicy.Rule> rule =
        Combinators.combine(
                Arbitraries.oneOf(Arbitraries.just(""), names()),
                from,
                to,
                condition.list().ofMaxSize(2))
            .as(AuthorizationPolicy.Rule::new);
    return Combinators.combine(
            metadata(),
            names(),
            Arbitraries.of(AuthorizationPolicy.Action.class),
            Arbitraries.of(AuthorizationPolicy.Mode.class),
            rule.list().ofMaxSize(3).uniqueElements(r -> r.name().isEmpty() ? r : r.name()))
        .as(
            (m, s, a, mode, r) ->
                new AuthorizationPolicy(m, new AuthorizationPolicy.Spec(s, a, mode, r)));
  }

  // --- MutualTls

  static Arbitrary<MutualTls> mutualTls() {
    return Combinators.combine(
            metadata(),
            Arbitraries.of(MutualTls.Mode.class),
            Arbitraries.oneOf(Arbitraries.just(""), names()))
        .as((m, mode, s) -> new MutualTls(m, new MutualTls.Spec(mode, s)));
  }

  // --- RateLimit

  static Arbitrary<RateLimit> rateLimits() {
    Arbitrary<Double> rates =
        Arbitraries.oneOf(
            Arbitraries.integers().between(1, 1_000_000).map(Integer::doubleValue),
            Arbitraries.doubles().between(0.001, 1_000_000).ofScale(6),
            Arbitraries.of(0.001, 0.5, 2.5, 1_000_000.0));
    Arbitrary<RateLimit.Rule> rule =
        Combinators.combine(
                names(),
                match().list().ofMaxSize(2),
                rates,
                Arbitraries.integers().between(1, 1_000_000),
                Arbitraries.of(RateLimit.Per.class))
            .as(RateLimit.Rule::new);
    return Combinators.combine(
            metadata(),
            names(),
            rule.list().ofMinSize(1).ofMaxSize(3).uniqueElements(RateLimit.Rule::name))
        .as((m, s, r) -> new RateLimit(m, new RateLimit.Spec(s, r)));
  }

  // --- Canary

  static Arbitrary<Canary> canaries() {
    Arbitrary<List<Integer>> steps =
        Arbitraries.integers()
            .between(1, 100)
            .set()
            .ofMinSize(1)
            .ofMaxSize(6)
            .map(set -> set.stream().sorted().toList());
    Arbitrary<Duration> intervals =
        Arbitraries.oneOf(
            Arbitraries.just(Canary.Spec.DEFAULT_STEP_INTERVAL),
            Arbitraries.longs().between(1_000, 3_600_000).map(Duration::ofMillis));
    Arbitrary<Canary.Analysis> analyses =
        Combinators.combine(
                Arbitraries.integers().between(1, 1_000_000),
                Arbitraries.integers().between(0, 100),
                percents(),
                percents(),
                Arbitraries.oneOf(
                    Arbitraries.just(1.0),
                    Arbitraries.just(1.5),
                    Arbitraries.integers().between(100, 100_000).map(i -> i / 100.0)))
            .as(Canary.Analysis::new);
    Arbitrary<Canary.Analysis> analysis =
        Arbitraries.oneOf(Arbitraries.just(Canary.Analysis.DEFAULT), analyses);
    return Combinators.combine(
            metadata(), names(), names(), names(), names(), steps, intervals, analysis)
        .as(
            (m, service, route, rule, stable, st, interval, a) ->
                new Canary(
                    m,
                    new Canary.Spec(
                        service, route, rule, stable, stable + "-next", st, interval, a)));
  }

  // --- Config

  static Arbitrary<Config> configs() {
    Arbitrary<String> instances =
        Arbitraries.oneOf(
            Arbitraries.just(""),
            names().map(n -> n + "-7f9c:8080"),
            Arbitraries.just("Orders_1.a"));
    return Combinators.combine(
            metadata(),
            names(),
            names(),
            optionalName(),
            instances,
            tree(3).map(ValidResources::asMap))
        .as((m, s, e, r, i, v) -> new Config(m, new Config.Spec(s, e, r, i, v)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object value) {
    return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of("value", value);
  }

  private static Arbitrary<Object> tree(int depth) {
    Arbitrary<Object> scalar =
        Arbitraries.oneOf(
            text().map(s -> (Object) s),
            Arbitraries.of(true, false).map(b -> (Object) b),
            Arbitraries.longs().map(l -> (Object) l),
            Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(-3, 12))
                .as((unscaled, scale) -> (Object) BigDecimal.valueOf(unscaled, scale)),
            Arbitraries.of("true", "5", "1.5", "~", "null", "", "- x", "a: b", "#c", "*x", "0x1F")
                .map(s -> (Object) s));
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<Object> child = tree(depth - 1);
    Arbitrary<String> keys =
        Arbitraries.oneOf(names(), text(), Arbitraries.of("a.b", "<<", "1", "true"));
    return Arbitraries.frequencyOf(
        Tuple.of(3, scalar),
        Tuple.of(1, child.list().ofMaxSize(3).map(l -> (Object) l)),
        Tuple.of(2, Arbitraries.maps(keys, child).ofMaxSize(3).map(m -> (Object) m)));
  }
}
