package dev.firemesh.api.validation;

import dev.firemesh.api.resource.AuthorizationPolicy;
import dev.firemesh.api.resource.Canary;
import dev.firemesh.api.resource.Config;
import dev.firemesh.api.resource.Kind;
import dev.firemesh.api.resource.MutualTls;
import dev.firemesh.api.resource.RateLimit;
import dev.firemesh.api.resource.Resource;
import dev.firemesh.api.resource.ResourceKey;
import dev.firemesh.api.resource.Route;
import dev.firemesh.api.resource.Service;
import dev.firemesh.api.resource.TrafficPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The checks that need the whole picture: a batch being applied, what the store already holds and
 * what the batch deletes. A batch is refused when, after it, anything would be inconsistent because
 * of it:
 *
 * <ul>
 *   <li>the same {@code Kind/name} twice in the batch, or both applied and deleted;
 *   <li>a Route, TrafficPolicy, AuthorizationPolicy, Config, RateLimit or MutualTls naming a
 *       Service that does not exist, or a subset that Service does not define (route destinations
 *       and mirrors, a TrafficPolicy's subset), or an AuthorizationPolicy naming a port its Service
 *       does not declare;
 *   <li>deleting a Service, or removing a subset from it, while a resource that stays still refers
 *       to it (both are named);
 *   <li>two Routes, two RateLimits or two MutualTls for one service, two mesh-wide MutualTls, two
 *       TrafficPolicies for one service and subset, or two Configs for the same layer (service,
 *       environment, region, instance): which would win is undefined;
 *   <li>a Canary whose Route does not exist, routes another service or has no rule of that name, or
 *       two Canaries on one rule; deleting that Route, or removing that rule, while the Canary
 *       stays.
 * </ul>
 *
 * <p>Problems about incoming resources point at the field in their document. Inconsistencies among
 * stored resources that this batch did not cause are not reported, so a store that became
 * inconsistent by other means never blocks unrelated changes.
 */
public final class ReferenceCheck {

  private ReferenceCheck() {}

  /**
   * @param incoming the resources being applied, as parsed
   * @param existing what the store holds now (incoming versions replace these)
   * @param deletedInSameBatch keys deleted by the same batch
   * @return the problems found, at most {@link Problems#LIMIT}; empty when the batch is consistent
   */
  public static List<Problem> check(
      Collection<ParsedResource> incoming,
      Collection<? extends Resource> existing,
      Set<ResourceKey> deletedInSameBatch) {
    Problems problems = new Problems();
    Map<ResourceKey, ParsedResource> applied = new LinkedHashMap<>();
    for (ParsedResource parsed : incoming) {
      ParsedResource earlier = applied.putIfAbsent(parsed.key(), parsed);
      if (earlier != null) {
        problems.add(
            parsed.positionOf("metadata.name"),
            "metadata.name",
            parsed.key() + " is defined twice in this batch (also at " + earlier.position() + ")");
      }
      if (deletedInSameBatch.contains(parsed.key())) {
        problems.add(
            parsed.positionOf("metadata.name"),
            "metadata.name",
            parsed.key() + " is both applied and deleted in this batch");
      }
    }
    List<Resource> kept = new ArrayList<>();
    for (Resource resource : existing) {
      if (!deletedInSameBatch.contains(resource.key()) && !applied.containsKey(resource.key())) {
        kept.add(resource);
      }
    }
    World world = new World(applied, kept, deletedInSameBatch);
    for (ParsedResource parsed : applied.values()) {
      world.checkReferences(parsed.resource(), Optional.of(parsed), problems);
    }
    for (Resource resource : kept) {
      world.checkReferences(resource, Optional.empty(), problems);
    }
    world.checkConflicts(problems);
    return problems.list();
  }

  /** One reference to a service and optionally one of its subsets, with the fields naming them. */
  private record Reference(String serviceField, String service, String subsetField, String subset) {
    static Reference toService(String field, String service) {
      return new Reference(field, service, "", "");
    }
  }

  /** The state the batch would leave behind. */
  private static final class World {
    private final Map<ResourceKey, ParsedResource> applied;
    private final List<Resource> kept;
    private final Set<ResourceKey> deleted;
    private final Set<String> reportedDeletions = new java.util.HashSet<>();
    private final Set<String> reportedUnknown = new java.util.HashSet<>();
    private final Map<String, Service> services = new LinkedHashMap<>();
    private final Map<String, Route> routes = new LinkedHashMap<>();

    World(Map<ResourceKey, ParsedResource> applied, List<Resource> kept, Set<ResourceKey> deleted) {
      this.applied = applied;
      this.kept = kept;
      this.deleted = deleted;
      for (Resource resource : all()) {
        if (resource instanceof Service service) {
          services.put(service.name(), service);
        } else if (resource instanceof Route route) {
          routes.put(route.name(), route);
        }
      }
    }

    List<Resource> all() {
      List<Resource> all = new ArrayList<>();
      applied.values().forEach(p -> all.add(p.resource()));
      all.addAll(kept);
      return all;
    }

    void checkReferences(Resource from, Optional<ParsedResource> parsed, Problems problems) {
      for (Reference ref : references(from)) {
        Service target = services.get(ref.service());
        boolean deletedHere = deleted.contains(new ResourceKey(Kind.SERVICE, ref.service()));
        if (target == null) {
          if (parsed.isPresent()) {
            String message =
                deletedHere
                    ? "Service \"" + ref.service() + "\" is deleted in this batch"
                    : "unknown Service \""
                        + ref.service()
                        + "\""
                        + Spelling.hint(ref.service(), services.keySet());
            // A resource naming one service in several references (a Canary's two subsets)
            // gets one problem for it.
            if (reportedUnknown.add(from.key() + "|" + ref.serviceField())) {
              problems.add(
                  parsed.get().positionOf(ref.serviceField()), ref.serviceField(), message);
            }
          } else if (deletedHere && reportedDeletions.add(from.key() + "->" + ref.service())) {
            // One problem per referring resource, naming where it first refers: a Route with
            // several destinations must not produce one line per (possibly defaulted) field.
            problems.add(
                SourcePosition.NONE,
                "",
                "cannot delete Service/"
                    + ref.service()
                    + ": "
                    + from.key()
                    + " still refers to it at "
                    + ref.serviceField());
          }
        } else if (!ref.subset().isEmpty() && target.spec().subset(ref.subset()).isEmpty()) {
          checkSubset(from, parsed, ref, target, problems);
        }
      }
      if (from instanceof Canary canary) {
        checkCanaryRoute(canary, parsed, problems);
      }
      if (from instanceof AuthorizationPolicy policy && parsed.isPresent()) {
        checkPorts(policy, parsed.get(), problems);
      }
    }

    /**
     * An incoming policy's {@code to.ports} must be ports its Service declares (by name or number);
     * a port that a Service later drops only stops matching.
     */
    private void checkPorts(AuthorizationPolicy policy, ParsedResource parsed, Problems problems) {
      Service target = services.get(policy.spec().service());
      if (target == null) {
        return;
      }
      List<Service.Port> declared = target.spec().ports();
      List<AuthorizationPolicy.Rule> rules = policy.spec().rules();
      for (int i = 0; i < rules.size(); i++) {
        List<String> ports = rules.get(i).to().ports();
        for (int j = 0; j < ports.size(); j++) {
          String port = ports.get(j);
          boolean found =
              declared.stream()
                  .anyMatch(p -> p.name().equals(port) || String.valueOf(p.port()).equals(port));
          if (!found) {
            String field = "spec.rules[" + i + "].to.ports[" + j + "]";
            problems.add(
                parsed.positionOf(field),
                field,
                "Service \""
                    + target.name()
                    + "\" has no port "
                    + port
                    + " (it has "
                    + declared.stream()
                        .map(p -> p.name() + " " + p.port())
                        .collect(Collectors.joining(", "))
                    + ")");
          }
        }
      }
    }

    /** The Canary's Route must exist, route the Canary's service and have the named rule. */
    private void checkCanaryRoute(
        Canary canary, Optional<ParsedResource> parsed, Problems problems) {
      Canary.Spec spec = canary.spec();
      Route route = routes.get(spec.route());
      ResourceKey routeKey = new ResourceKey(Kind.ROUTE, spec.route());
      if (parsed.isPresent()) {
        ParsedResource p = parsed.get();
        if (route == null) {
          String message =
              deleted.contains(routeKey)
                  ? "Route \"" + spec.route() + "\" is deleted in this batch"
                  : "unknown Route \""
                      + spec.route()
                      + "\""
                      + Spelling.hint(spec.route(), routes.keySet());
          problems.add(p.positionOf("spec.route"), "spec.route", message);
        } else if (!route.spec().service().equals(spec.service())) {
          problems.add(
              p.positionOf("spec.route"),
              "spec.route",
              "Route \""
                  + spec.route()
                  + "\" routes service \""
                  + route.spec().service()
                  + "\", not \""
                  + spec.service()
                  + "\"");
        } else if (ruleNames(route).stream().noneMatch(spec.rule()::equals)) {
          List<String> names = ruleNames(route);
          problems.add(
              p.positionOf("spec.rule"),
              "spec.rule",
              "Route \""
                  + spec.route()
                  + "\" has no rule named \""
                  + spec.rule()
                  + "\""
                  + (names.isEmpty()
                      ? " (its rules have no names; give the rule a name)"
                      : Spelling.hint(spec.rule(), names)));
        }
        return;
      }
      if (route == null && deleted.contains(routeKey)) {
        problems.add(
            SourcePosition.NONE,
            "",
            "cannot delete " + routeKey + ": " + canary.key() + " still shifts its traffic");
      } else if (route != null && applied.containsKey(routeKey)) {
        ParsedResource changed = applied.get(routeKey);
        if (!route.spec().service().equals(spec.service())) {
          problems.add(
              changed.positionOf("spec.service"),
              "spec.service",
              canary.key() + " shifts this Route's traffic for service \"" + spec.service() + "\"");
        } else if (ruleNames(route).stream().noneMatch(spec.rule()::equals)) {
          problems.add(
              changed.positionOf("spec.rules"),
              "spec.rules",
              "rule \"" + spec.rule() + "\" is still used by " + canary.key());
        }
      }
    }

    private void checkSubset(
        Resource from,
        Optional<ParsedResource> parsed,
        Reference ref,
        Service target,
        Problems problems) {
      if (parsed.isPresent()) {
        List<String> names = target.spec().subsets().stream().map(Service.Subset::name).toList();
        String known =
            names.isEmpty()
                ? " (it defines no subsets)"
                : Spelling.closest(ref.subset(), names)
                    .map(c -> " (did you mean \"" + c + "\"?)")
                    .orElse(" (it has " + String.join(", ", names) + ")");
        problems.add(
            parsed.get().positionOf(ref.subsetField()),
            ref.subsetField(),
            "Service \"" + ref.service() + "\" has no subset \"" + ref.subset() + "\"" + known);
        return;
      }
      ParsedResource changedService = applied.get(target.key());
      if (changedService != null) {
        problems.add(
            changedService.positionOf("spec.subsets"),
            "spec.subsets",
            "subset \""
                + ref.subset()
                + "\" is still used by "
                + from.key()
                + " at "
                + ref.subsetField());
      }
    }

    void checkConflicts(Problems problems) {
      Map<String, List<Resource>> byTarget = new LinkedHashMap<>();
      for (Resource resource : all()) {
        conflictKey(resource)
            .ifPresent(k -> byTarget.computeIfAbsent(k, x -> new ArrayList<>()).add(resource));
      }
      for (List<Resource> group : byTarget.values()) {
        if (group.size() < 2) {
          continue;
        }
        String names =
            group.stream().map(r -> r.key().toString()).collect(Collectors.joining(", "));
        for (Resource resource : group) {
          ParsedResource parsed = applied.get(resource.key());
          if (parsed != null) {
            problems.add(
                parsed.positionOf("spec.service"),
                "spec.service",
                names + " all apply to the same target (" + describe(resource) + "); keep one");
          }
        }
      }
    }
  }

  private static Optional<String> conflictKey(Resource resource) {
    return switch (resource) {
      case Canary c -> Optional.of("Canary " + c.spec().route() + " " + c.spec().rule());
      case Route r -> Optional.of("Route " + r.spec().service());
      case RateLimit l -> Optional.of("RateLimit " + l.spec().service());
      case TrafficPolicy t ->
          Optional.of("TrafficPolicy " + t.spec().service() + " " + t.spec().subset());
      case Config c ->
          Optional.of(
              String.join(
                  " ",
                  "Config",
                  c.spec().service(),
                  c.spec().environment(),
                  c.spec().region(),
                  c.spec().instance()));
      case MutualTls m -> Optional.of("MutualTls " + m.spec().service());
      case Service s -> Optional.empty();
      case AuthorizationPolicy a -> Optional.empty();
    };
  }

  private static String describe(Resource resource) {
    return switch (resource) {
      case Route r -> "service " + r.spec().service();
      case RateLimit l -> "service " + l.spec().service();
      case TrafficPolicy t ->
          "service "
              + t.spec().service()
              + (t.spec().subset().isEmpty() ? "" : ", subset " + t.spec().subset());
      case Config c ->
          "service "
              + c.spec().service()
              + ", environment "
              + c.spec().environment()
              + (c.spec().region().isEmpty() ? "" : ", region " + c.spec().region())
              + (c.spec().instance().isEmpty() ? "" : ", instance " + c.spec().instance());
      case Service s -> s.key().toString();
      case AuthorizationPolicy a -> a.key().toString();
      case Canary c -> "Route " + c.spec().route() + ", rule " + c.spec().rule();
      case MutualTls m ->
          m.spec().meshWide() ? "the mesh-wide default" : "service " + m.spec().service();
    };
  }

  private static List<Reference> references(Resource resource) {
    return switch (resource) {
      case Service s -> List.of();
      case Route r -> routeReferences(r);
      case TrafficPolicy t ->
          List.of(
              new Reference("spec.service", t.spec().service(), "spec.subset", t.spec().subset()));
      case AuthorizationPolicy a ->
          List.of(Reference.toService("spec.service", a.spec().service()));
      case Config c -> List.of(Reference.toService("spec.service", c.spec().service()));
      case RateLimit l -> List.of(Reference.toService("spec.service", l.spec().service()));
      case Canary c ->
          List.of(
              new Reference("spec.service", c.spec().service(), "spec.stable", c.spec().stable()),
              new Reference("spec.service", c.spec().service(), "spec.canary", c.spec().canary()));
      case MutualTls m ->
          m.spec().meshWide()
              ? List.of()
              : List.of(Reference.toService("spec.service", m.spec().service()));
    };
  }

  private static List<String> ruleNames(Route route) {
    return route.spec().rules().stream().map(Route.Rule::name).filter(n -> !n.isEmpty()).toList();
  }

  private static List<Reference> routeReferences(Route route) {
    List<Reference> refs = new ArrayList<>();
    refs.add(Reference.toService("spec.service", route.spec().service()));
    List<Route.Rule> rules = route.spec().rules();
    for (int i = 0; i < rules.size(); i++) {
      List<Route.Destination> destinations = rules.get(i).destinations();
      for (int j = 0; j < destinations.size(); j++) {
        String at = "spec.rules[" + i + "].destinations[" + j + "]";
        Route.Destination d = destinations.get(j);
        String service = d.service().isEmpty() ? route.spec().service() : d.service();
        refs.add(new Reference(at + ".service", service, at + ".subset", d.subset()));
      }
      List<Route.Mirror> mirrors = rules.get(i).mirrors();
      for (int j = 0; j < mirrors.size(); j++) {
        String at = "spec.rules[" + i + "].mirror[" + j + "]";
        Route.Mirror m = mirrors.get(j);
        String service = m.service().isEmpty() ? route.spec().service() : m.service();
        refs.add(new Reference(at + ".service", service, at + ".subset", m.subset()));
      }
    }
    return refs;
  }
}
