package dev.firemesh.xds.translate;

import dev.firemesh.api.registry.ServiceInstance;
import dev.firemesh.api.resource.AuthorizationPolicy;
import dev.firemesh.api.resource.MutualTls;
import dev.firemesh.api.resource.RateLimit;
import dev.firemesh.api.resource.Resource;
import dev.firemesh.api.resource.Route;
import dev.firemesh.api.resource.Service;
import dev.firemesh.api.resource.TrafficPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The mesh state arranged for translation: services, routes, policies and instances by service,
 * each in a stable order so the output does not depend on the order of the input.
 */
final class MeshIndex {
  private final List<Service> services;
  private final Map<String, List<Route.Rule>> rulesByService = new TreeMap<>();
  private final Map<String, TrafficPolicy.Spec> policiesByTarget = new TreeMap<>();
  private final Map<String, List<ServiceInstance>> instancesByService = new TreeMap<>();
  private final Map<String, RateLimit.Spec> rateLimitsByService = new TreeMap<>();
  private final Map<String, List<AuthorizationPolicy>> authorizationByService = new TreeMap<>();
  private final Map<String, MutualTls.Mode> mtlsByService = new TreeMap<>();
  private MutualTls.Mode meshMtls = MutualTls.Mode.PERMISSIVE;

  MeshIndex(MeshState state) {
    boolean meshMtlsSet = false;
    List<Resource> byName =
        state.resources().stream().sorted(Comparator.comparing(Resource::key)).toList();
    services = byName.stream().filter(r -> r instanceof Service).map(r -> (Service) r).toList();
    for (Resource resource : byName) {
      switch (resource) {
        case Route route ->
            rulesByService
                .computeIfAbsent(route.spec().service(), s -> new ArrayList<>())
                .addAll(route.spec().rules());
        // The first policy by name wins, so that two policies for one target are not merged.
        case TrafficPolicy policy ->
            policiesByTarget.putIfAbsent(
                ResourceNames.cluster(policy.spec().service(), policy.spec().subset()),
                policy.spec());
        // As for policies: one per service, the first by name if the store ever holds two.
        case RateLimit limit ->
            rateLimitsByService.putIfAbsent(limit.spec().service(), limit.spec());
        case AuthorizationPolicy policy ->
            authorizationByService
                .computeIfAbsent(policy.spec().service(), s -> new ArrayList<>())
                .add(policy);
        // As for rate limits: the first by name, should the store ever hold two for one target.
        case MutualTls mtls when mtls.spec().meshWide() -> {
          if (!meshMtlsSet) {
            meshMtls = mtls.spec().mode();
            meshMtlsSet = true;
          }
        }
        case MutualTls mtls -> mtlsByService.putIfAbsent(mtls.spec().service(), mtls.spec().mode());
        default -> {}
      }
    }
    state.instances().stream()
        .sorted(Comparator.comparing(ServiceInstance::instanceId))
        .forEach(
            i -> instancesByService.computeIfAbsent(i.service(), s -> new ArrayList<>()).add(i));
  }

  /** The services, by name. */
  List<Service> services() {
    return services;
  }

  /** The rules of every Route for {@code service}, Routes taken by name; empty if none. */
  List<Route.Rule> rules(String service) {
    return rulesByService.getOrDefault(service, List.of());
  }

  /** The policy for a subset, else the service's, else none. */
  Optional<TrafficPolicy.Spec> policy(String service, String subset) {
    TrafficPolicy.Spec forSubset = policiesByTarget.get(ResourceNames.cluster(service, subset));
    return Optional.ofNullable(
        forSubset != null ? forSubset : policiesByTarget.get(ResourceNames.cluster(service)));
  }

  /** The rate limits {@code service}'s own sidecars enforce, if any. */
  Optional<RateLimit.Spec> rateLimit(String service) {
    return Optional.ofNullable(rateLimitsByService.get(service));
  }

  /** The authorization policies {@code service}'s own sidecars enforce, by name. */
  List<AuthorizationPolicy> authorization(String service) {
    return authorizationByService.getOrDefault(service, List.of());
  }

  /** The service's mTLS mode: its own MutualTls, else the mesh-wide one, else permissive. */
  MutualTls.Mode mtls(String service) {
    return mtlsByService.getOrDefault(service, meshMtls);
  }

  /** The instances of a service, by instance id. */
  List<ServiceInstance> instances(String service) {
    return instancesByService.getOrDefault(service, List.of());
  }
}
