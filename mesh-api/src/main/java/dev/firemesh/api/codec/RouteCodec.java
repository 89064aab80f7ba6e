package dev.firemesh.api.codec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.api.resource.Metadata;
import dev.firemesh.api.resource.Route;
import dev.firemesh.api.resource.Route.Action;
import dev.firemesh.api.resource.Route.CookieMatch;
import dev.firemesh.api.resource.Route.Destination;
import dev.firemesh.api.resource.Route.DirectResponse;
import dev.firemesh.api.resource.Route.Fault;
import dev.firemesh.api.resource.Route.Forward;
import dev.firemesh.api.resource.Route.HeaderMatch;
import dev.firemesh.api.resource.Route.Match;
import dev.firemesh.api.resource.Route.Mirror;
import dev.firemesh.api.resource.Route.PathMatch;
import dev.firemesh.api.resource.Route.PathRewrite;
import dev.firemesh.api.resource.Route.Redirect;
import dev.firemesh.api.resource.Route.RetryOn;
import dev.firemesh.api.resource.Route.RetryPolicy;
import dev.firemesh.api.resource.Route.Rewrite;
import dev.firemesh.api.resource.Route.Rule;
import dev.firemesh.api.resource.Route.StickyBy;
import dev.firemesh.api.resource.Route.ValueMatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code Route}: {@code service} and at least one rule. A rule has an optional {@code name}, a
 * {@code match} list, at least one of {@code destinations} (service defaults to the route's, subset
 * to all instances, weight to 1), and optional {@code timeout}, {@code retry}, {@code fault} and
 * {@code mirror}.
 */
final class RouteCodec implements KindCodec<Route> {

  static final int MAX_WEIGHT = 1_000_000;
  static final int MAX_RETRIES = 100;
  private static final double ALL = 100;
  private static final Duration POSITIVE = Duration.ofNanos(1);
  static final int DEFAULT_REDIRECT_STATUS = 301;
  private static final Set<Integer> REDIRECT_STATUSES = Set.of(301, 302, 303, 307, 308);
  private static final List<String> ACTIONS = List.of("destinations", "redirect", "directResponse");
  private static final List<String> FORWARD_ONLY =
      List.of("stickyBy", "rewrite", "timeout", "retry", "fault", "mirror");
  private static final Pattern GROUP_REFERENCE = Pattern.compile("\\\\([0-9])");

  @Override
  public Route read(Metadata metadata, Fields spec) {
    String service = spec.required("service", Values.string(StringRule.NAME), "");
    Unique ruleNames = new Unique("rule name");
    List<Rule> rules = spec.nonEmptyList("rules", Values.object(f -> rule(f, service, ruleNames)));
    return new Route(metadata, new Route.Spec(service, rules));
  }

  private static Rule rule(Fields f, String service, Unique ruleNames) {
    String name = f.optional("name", ruleNames.of(Values.string(StringRule.NAME)), "");
    List<Match> matches = f.list("match", Values.object(RouteCodec::match));
    Action action = action(f, service, matches);
    Duration timeout = f.optional("timeout", Values.duration(Duration.ZERO), Duration.ZERO);
    RetryPolicy retry = f.optional("retry", Values.object(RouteCodec::retry), RetryPolicy.NONE);
    Fault fault = f.optional("fault", Values.object(RouteCodec::fault), Fault.NONE);
    List<Mirror> mirrors = f.list("mirror", Values.object(m -> mirror(m, service)));
    if (!(action instanceof Forward)) {
      String kind = action instanceof Redirect ? "redirect" : "directResponse";
      for (String forwardOnly : FORWARD_ONLY) {
        if (f.present(forwardOnly)) {
          f.context()
              .problemAt(
                  f.pathOf(forwardOnly),
                  "not allowed with "
                      + kind
                      + ": the sidecar answers the request itself, nothing is forwarded");
        }
      }
    }
    return new Rule(name, matches, action, timeout, retry, fault, mirrors);
  }

  /**
   * Exactly one of {@code destinations}, {@code redirect} or {@code directResponse}; {@code
   * stickyBy} and {@code rewrite} go with destinations.
   */
  private static Action action(Fields f, String service, List<Match> matches) {
    List<String> given = new ArrayList<>(3);
    for (String key : ACTIONS) {
      if (f.present(key)) {
        given.add(key);
      }
    }
    if (given.isEmpty()) {
      return forward(f, service, matches); // reports destinations as missing
    }
    for (String extra : given.subList(1, given.size())) {
      f.context()
          .problemAt(
              f.pathOf(extra),
              "a rule has exactly one of destinations, redirect or directResponse; "
                  + given.getFirst()
                  + " is set too");
    }
    return switch (given.getFirst()) {
      case "redirect" ->
          f.optional("redirect", Values.object(r -> redirect(r, matches)))
              .<Action>map(r -> r)
              .orElse(Forward.of(List.of()));
      case "directResponse" ->
          f.optional("directResponse", Values.object(RouteCodec::directResponse))
              .<Action>map(r -> r)
              .orElse(Forward.of(List.of()));
      default -> forward(f, service, matches);
    };
  }

  private static Forward forward(Fields f, String service, List<Match> matches) {
    Unique targets = new Unique("destination");
    List<Destination> destinations =
        f.nonEmptyList("destinations", Values.object(d -> destination(d, service, targets)));
    if (!destinations.isEmpty() && destinations.stream().allMatch(d -> d.weight() == 0)) {
      f.context()
          .problemAt(
              f.pathOf("destinations"),
              "the weights of the destinations are all 0; at least one must be positive");
    }
    StickyBy sticky = f.optional("stickyBy", Values.object(RouteCodec::stickyBy), StickyBy.NONE);
    Rewrite rewrite = f.optional("rewrite", Values.object(r -> rewrite(r, matches)), Rewrite.NONE);
    return new Forward(destinations, sticky, rewrite);
  }

  private static StickyBy stickyBy(Fields f) {
    Optional<String> header = f.optional("header", Values.string(StringRule.HEADER_NAME));
    Optional<String> cookie = f.optional("cookie", Values.string(StringRule.COOKIE_NAME));
    if (count(f, "header", "cookie") != 1) {
      f.context().problem(f.position(), f.path(), "expected exactly one of header or cookie");
    }
    return header
        .map(h -> new StickyBy(StickyBy.Source.HEADER, h))
        .or(() -> cookie.map(c -> new StickyBy(StickyBy.Source.COOKIE, c)))
        .orElse(StickyBy.NONE);
  }

  private static Rewrite rewrite(Fields f, List<Match> matches) {
    Optional<String> prefix = f.optional("prefix", Values.string(StringRule.REQUEST_PATH));
    Optional<PathRewrite> regex = f.optional("regex", Values.object(RouteCodec::regexRewrite));
    Optional<String> host = f.optional("host", Values.string(StringRule.HOST));
    if (count(f, "prefix", "regex") > 1) {
      f.context().problem(f.position(), f.path(), "expected at most one of prefix or regex");
    } else if (count(f, "prefix", "regex", "host") == 0) {
      f.context().problem(f.position(), f.path(), "expected at least one of prefix, regex or host");
    }
    if (prefix.isPresent()) {
      checkPrefixReplaceable(f, "prefix", matches);
    }
    PathRewrite path =
        prefix
            .<PathRewrite>map(PathRewrite.Prefix::new)
            .or(() -> regex)
            .orElse(new PathRewrite.None());
    return new Rewrite(path, host.orElse(""));
  }

  /** A prefix rewrite replaces what the path condition matched: a regex has no such part. */
  private static void checkPrefixReplaceable(Fields f, String key, List<Match> matches) {
    if (matches.stream().anyMatch(m -> m.path() instanceof PathMatch.Regex)) {
      f.context()
          .problemAt(
              f.pathOf(key),
              "a prefix rewrite needs every match's path to be exact, prefix or absent (a regex"
                  + " match has no prefix to replace); use a regex rewrite instead");
    }
  }

  private static PathRewrite regexRewrite(Fields f) {
    String pattern = f.required("pattern", Values.string(StringRule.REGEX), "");
    String substitution = f.required("substitution", Values.string(StringRule.HEADER_VALUE), "");
    if (!pattern.isEmpty()) {
      int groups = Pattern.compile(pattern).matcher("").groupCount();
      Matcher reference = GROUP_REFERENCE.matcher(substitution);
      while (reference.find()) {
        int group = reference.group(1).charAt(0) - '0';
        if (group > groups) {
          f.context()
              .problemAt(
                  f.pathOf("substitution"),
                  "\\"
                      + group
                      + " names a group the pattern does not have (it has "
                      + groups
                      + ")");
        }
      }
    }
    return new PathRewrite.Regex(pattern, substitution);
  }

  private static Redirect redirect(Fields f, List<Match> matches) {
    String scheme = f.optional("scheme", Values.string(StringRule.REDIRECT_SCHEME), "");
    String host = f.optional("host", Values.string(StringRule.HOST), "");
    Optional<String> path = f.optional("path", Values.string(StringRule.REQUEST_PATH));
    Optional<String> prefix = f.optional("prefix", Values.string(StringRule.REQUEST_PATH));
    int status = f.optional("status", Values.integer(301, 308), DEFAULT_REDIRECT_STATUS);
    if (!REDIRECT_STATUSES.contains(status)) {
      f.context()
          .problemAt(
              f.pathOf("status"), "expected one of 301, 302, 303, 307 or 308, got " + status);
    }
    if (count(f, "path", "prefix") > 1) {
      f.context().problem(f.position(), f.path(), "expected at most one of path or prefix");
    } else if (count(f, "scheme", "host", "path", "prefix") == 0) {
      f.context()
          .problem(
              f.position(),
              f.path(),
              "expected at least one of scheme, host, path or prefix (a redirect to the same URL"
                  + " would loop)");
    }
    if (prefix.isPresent()) {
      checkPrefixReplaceable(f, "prefix", matches);
    }
    PathRewrite rewrite =
        path.<PathRewrite>map(PathRewrite.Full::new)
            .or(() -> prefix.map(PathRewrite.Prefix::new))
            .orElse(new PathRewrite.None());
    return new Redirect(scheme, host, rewrite, status);
  }

  private static DirectResponse directResponse(Fields f) {
    return new DirectResponse(
        f.required("status", Values.integer(200, 599), 200),
        f.optional("body", Values.string(StringRule.BODY), ""));
  }

  /** One entry of a {@code match} list; RateLimit rules match requests the same way. */
  static Match match(Fields f) {
    PathMatch path = f.optional("path", Values.object(RouteCodec::path), new PathMatch.Any());
    List<String> methods =
        f.list("methods", new Unique("method").of(Values.string(StringRule.HTTP_METHOD)));
    List<HeaderMatch> headers = f.list("headers", Values.object(RouteCodec::headerMatch));
    List<CookieMatch> cookies =
        f.list(
            "cookies",
            Values.object(
                c ->
                    new CookieMatch(
                        c.required("name", Values.string(StringRule.COOKIE_NAME), ""),
                        valueMatch(c),
                        c.optional("invert", Values.bool(), false))));
    return new Match(path, methods, headers, cookies);
  }

  private static HeaderMatch headerMatch(Fields h) {
    return new HeaderMatch(
        h.required("name", Values.string(StringRule.HEADER_NAME), ""),
        valueMatch(h),
        h.optional("invert", Values.bool(), false));
  }

  private static PathMatch path(Fields f) {
    Optional<String> exact = f.optional("exact", Values.string(StringRule.REQUEST_PATH));
    Optional<String> prefix = f.optional("prefix", Values.string(StringRule.REQUEST_PATH));
    Optional<String> regex = f.optional("regex", Values.string(StringRule.REGEX));
    if (count(f, "exact", "prefix", "regex") != 1) {
      f.context().problem(f.position(), f.path(), "expected exactly one of exact, prefix or regex");
    }
    return exact
        .<PathMatch>map(PathMatch.Exact::new)
        .or(() -> prefix.map(PathMatch.Prefix::new))
        .or(() -> regex.map(PathMatch.Regex::new))
        .orElse(new PathMatch.Any());
  }

  /** The value condition of a header or cookie match, one of four fields of the same mapping. */
  private static ValueMatch valueMatch(Fields f) {
    Optional<String> exact = f.optional("exact", Values.string(StringRule.HEADER_VALUE));
    Optional<String> prefix = f.optional("prefix", Values.string(StringRule.HEADER_VALUE));
    Optional<String> regex = f.optional("regex", Values.string(StringRule.REGEX));
    Optional<Boolean> present = f.optional("present", Values.bool());
    if (count(f, "exact", "prefix", "regex", "present") != 1) {
      f.context()
          .problem(
              f.position(), f.path(), "expected exactly one of exact, prefix, regex or present");
    }
    if (present.isPresent() && !present.get()) {
      f.context()
          .problemAt(
              f.pathOf("present"),
              "expected true; to match a missing value write present: true with invert: true");
    }
    return exact
        .<ValueMatch>map(ValueMatch.Exact::new)
        .or(() -> prefix.map(ValueMatch.Prefix::new))
        .or(() -> regex.map(ValueMatch.Regex::new))
        .orElse(new ValueMatch.Present());
  }

  private static int count(Fields f, String... keys) {
    int present = 0;
    for (String key : keys) {
      present += f.has(key) ? 1 : 0;
    }
    return present;
  }

  private static Destination destination(Fields f, String routeService, Unique targets) {
    String service = f.optional("service", Values.string(StringRule.NAME), routeService);
    String subset = f.optional("subset", Values.string(StringRule.NAME), "");
    int weight = f.optional("weight", Values.integer(0, MAX_WEIGHT), 1);
    String shown = service + (subset.isEmpty() ? "" : "/" + subset);
    targets.check(f.context(), f.path(), List.of(service, subset), Values.quote(shown));
    return new Destination(service, subset, weight);
  }

  private static RetryPolicy retry(Fields f) {
    int attempts = f.required("attempts", Values.integer(0, MAX_RETRIES), 0);
    Duration perTryTimeout =
        f.optional("perTryTimeout", Values.duration(Duration.ZERO), Duration.ZERO);
    List<RetryOn> retryOn =
        f.list(
            "retryOn",
            new Unique("condition")
                .of(Values.oneOf(RetryOn.values(), RetryOn::wireName), RetryOn::wireName));
    if (attempts > 0 && (!f.has("retryOn") || f.isEmptyCollection("retryOn"))) {
      f.context()
          .problemAt(
              f.pathOf("retryOn"),
              "required when attempts is more than 0: the failures to retry, e.g."
                  + " [connect-failure, 5xx]");
    }
    Duration backoffBase = f.optional("backoffBase", Values.duration(Duration.ZERO), Duration.ZERO);
    Duration backoffMax = f.optional("backoffMax", Values.duration(Duration.ZERO), Duration.ZERO);
    if (!backoffMax.isZero() && backoffMax.compareTo(backoffBase) < 0) {
      f.context()
          .problemAt(
              f.pathOf("backoffMax"),
              "expected at least backoffBase ("
                  + Durations.format(backoffBase)
                  + "), got "
                  + Durations.format(backoffMax));
    }
    boolean idempotencyKey = f.optional("idempotencyKey", Values.bool(), false);
    return new RetryPolicy(
        attempts, perTryTimeout, retryOn, backoffBase, backoffMax, idempotencyKey);
  }

  private static Fault fault(Fields f) {
    Fault.Delay delay =
        f.optional(
            "delay",
            Values.object(
                d ->
                    new Fault.Delay(
                        d.required("percent", Values.percent(), 0.0),
                        d.required("duration", Values.duration(POSITIVE), Duration.ZERO))),
            Fault.Delay.NONE);
    Fault.Abort abort =
        f.optional(
            "abort",
            Values.object(
                a ->
                    new Fault.Abort(
                        a.required("percent", Values.percent(), 0.0),
                        a.required("httpStatus", Values.integer(200, 599), 0),
                        a.optional("grpcStatus", Values.integer(0, 16), 0))),
            Fault.Abort.NONE);
    List<HeaderMatch> headers = f.list("headers", Values.object(RouteCodec::headerMatch));
    return new Fault(delay, abort, headers);
  }

  private static Mirror mirror(Fields f, String routeService) {
    return new Mirror(
        f.optional("service", Values.string(StringRule.NAME), routeService),
        f.optional("subset", Values.string(StringRule.NAME), ""),
        f.optional("percent", Values.percent(), ALL));
  }

  @Override
  public ObjectNode writeSpec(Route route) {
    String service = route.spec().service();
    ObjectNode spec = Trees.object().put("service", service);
    ArrayNode rules = spec.putArray("rules");
    route.spec().rules().forEach(rule -> rules.add(writeRule(rule, service)));
    return spec;
  }

  private static ObjectNode writeRule(Rule rule, String service) {
    ObjectNode out = Trees.object();
    if (!rule.name().isEmpty()) {
      out.put("name", rule.name());
    }
    ArrayNode matches = Trees.array();
    rule.matches().forEach(m -> matches.add(writeMatch(m)));
    Trees.putUnlessEmpty(out, "match", matches);
    switch (rule.action()) {
      case Forward forward -> writeForward(out, forward, service);
      case Redirect redirect -> out.set("redirect", writeRedirect(redirect));
      case DirectResponse direct -> {
        ObjectNode response = out.putObject("directResponse").put("status", direct.status());
        if (!direct.body().isEmpty()) {
          response.put("body", direct.body());
        }
      }
    }
    if (!rule.timeout().isZero()) {
      out.set("timeout", Trees.duration(rule.timeout()));
    }
    if (!rule.retry().equals(RetryPolicy.NONE)) {
      out.set("retry", writeRetry(rule.retry()));
    }
    if (!rule.fault().equals(Fault.NONE)) {
      out.set("fault", writeFault(rule.fault()));
    }
    ArrayNode mirrors = Trees.array();
    for (Mirror m : rule.mirrors()) {
      ObjectNode mirror = mirrors.addObject();
      if (!isOwn(m.service(), service)) {
        mirror.put("service", m.service());
      }
      if (!m.subset().isEmpty()) {
        mirror.put("subset", m.subset());
      }
      if (m.percent() != ALL) {
        mirror.set("percent", Trees.percent(m.percent()));
      }
    }
    Trees.putUnlessEmpty(out, "mirror", mirrors);
    return out;
  }

  private static void writeForward(ObjectNode out, Forward forward, String service) {
    ArrayNode destinations = out.putArray("destinations");
    for (Destination d : forward.destinations()) {
      ObjectNode dest = destinations.addObject();
      if (!isOwn(d.service(), service)) {
        dest.put("service", d.service());
      }
      if (d.hasSubset()) {
        dest.put("subset", d.subset());
      }
      if (d.weight() != 1) {
        dest.put("weight", d.weight());
      }
    }
    StickyBy sticky = forward.stickyBy();
    if (sticky.enabled()) {
      out.putObject("stickyBy")
          .put(sticky.source() == StickyBy.Source.HEADER ? "header" : "cookie", sticky.name());
    }
    Rewrite rewrite = forward.rewrite();
    if (!rewrite.equals(Rewrite.NONE)) {
      ObjectNode node = out.putObject("rewrite");
      switch (rewrite.path()) {
        case PathRewrite.None none -> {}
        case PathRewrite.Full full -> throw new IllegalStateException("refused by Rewrite");
        case PathRewrite.Prefix p -> node.put("prefix", p.replacement());
        case PathRewrite.Regex r ->
            node.putObject("regex")
                .put("pattern", r.pattern())
                .put("substitution", r.substitution());
      }
      if (!rewrite.host().isEmpty()) {
        node.put("host", rewrite.host());
      }
    }
  }

  private static ObjectNode writeRedirect(Redirect redirect) {
    ObjectNode out = Trees.object();
    if (!redirect.scheme().isEmpty()) {
      out.put("scheme", redirect.scheme());
    }
    if (!redirect.host().isEmpty()) {
      out.put("host", redirect.host());
    }
    switch (redirect.path()) {
      case PathRewrite.None none -> {}
      case PathRewrite.Full full -> out.put("path", full.path());
      case PathRewrite.Prefix p -> out.put("prefix", p.replacement());
      case PathRewrite.Regex r -> {} // not read from documents
    }
    if (redirect.status() != DEFAULT_REDIRECT_STATUS) {
      out.put("status", redirect.status());
    }
    return out;
  }

  /** Empty also means the route's own service, as code that builds routes may write it. */
  private static boolean isOwn(String target, String routeService) {
    return target.isEmpty() || target.equals(routeService);
  }

  static ObjectNode writeMatch(Match match) {
    ObjectNode out = Trees.object();
    switch (match.path()) {
      case PathMatch.Any any -> {}
      case PathMatch.Exact e -> out.putObject("path").put("exact", e.path());
      case PathMatch.Prefix p -> out.putObject("path").put("prefix", p.prefix());
      case PathMatch.Regex r -> out.putObject("path").put("regex", r.regex());
    }
    Trees.putUnlessEmpty(out, "methods", Trees.strings(match.methods()));
    ArrayNode headers = Trees.array();
    match.headers().forEach(h -> headers.add(writeValueMatch(h.name(), h.value(), h.invert())));
    Trees.putUnlessEmpty(out, "headers", headers);
    ArrayNode cookies = Trees.array();
    match.cookies().forEach(c -> cookies.add(writeValueMatch(c.name(), c.value(), c.invert())));
    Trees.putUnlessEmpty(out, "cookies", cookies);
    return out;
  }

  private static ObjectNode writeValueMatch(String name, ValueMatch value, boolean invert) {
    ObjectNode out = Trees.object().put("name", name);
    switch (value) {
      case ValueMatch.Present p -> out.put("present", true);
      case ValueMatch.Exact e -> out.put("exact", e.value());
      case ValueMatch.Prefix p -> out.put("prefix", p.prefix());
      case ValueMatch.Regex r -> out.put("regex", r.regex());
    }
    if (invert) {
      out.put("invert", true);
    }
    return out;
  }

  private static ObjectNode writeRetry(RetryPolicy retry) {
    ObjectNode out = Trees.object().put("attempts", retry.attempts());
    if (!retry.perTryTimeout().isZero()) {
      out.set("perTryTimeout", Trees.duration(retry.perTryTimeout()));
    }
    Trees.putUnlessEmpty(
        out, "retryOn", Trees.strings(retry.retryOn().stream().map(RetryOn::wireName).toList()));
    if (!retry.backoffBase().isZero()) {
      out.set("backoffBase", Trees.duration(retry.backoffBase()));
    }
    if (!retry.backoffMax().isZero()) {
      out.set("backoffMax", Trees.duration(retry.backoffMax()));
    }
    if (retry.idempotencyKey()) {
      out.put("idempotencyKey", true);
    }
    return out;
  }

  private static ObjectNode writeFault(Fault fault) {
    ObjectNode out = Trees.object();
    if (!fault.delay().equals(Fault.Delay.NONE)) {
      ObjectNode delay = out.putObject("delay");
      delay.set("percent", Trees.percent(fault.delay().percent()));
      delay.set("duration", Trees.duration(fault.delay().duration()));
    }
    if (!fault.abort().equals(Fault.Abort.NONE)) {
      ObjectNode abort = out.putObject("abort");
      abort.set("percent", Trees.percent(fault.abort().percent()));
      abort.put("httpStatus", fault.abort().httpStatus());
      if (fault.abort().grpcStatus() != 0) {
        abort.put("grpcStatus", fault.abort().grpcStatus());
      }
    }
    if (!fault.headers().isEmpty()) {
      ArrayNode headers = out.putArray("headers");
      fault.headers().forEach(h -> headers.add(writeValueMatch(h.name(), h.value(), h.invert())));
    }
    return out;
  }
}
