package dev.firemesh.xds.translate;

import com.google.protobuf.UInt32Value;
import dev.firemesh.api.resource.Route;
import dev.firemesh.api.resource.TrafficPolicy;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteAction.HashPolicy;
import io.envoyproxy.envoy.config.route.v3.RouteAction.MaxStreamDuration;
import io.envoyproxy.envoy.config.route.v3.RouteAction.RequestMirrorPolicy;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Where a matched request goes and how: destinations, timeout, retries, hashing, mirrors. */
final class RouteActionTranslator {
  private final MeshIndex mesh;

  RouteActionTranslator(MeshIndex mesh) {
    this.mesh = mesh;
  }

  /** Everything to the service's all-instances cluster: the default route. */
  RouteAction allInstances(String service) {
    RouteAction.Builder action =
        RouteAction.newBuilder().setCluster(ResourceNames.cluster(service));
    hashPolicy(service).ifPresent(action::addHashPolicy);
    return action.setTimeout(ProtoDurations.of(Duration.ZERO)).build();
  }

  RouteAction action(String service, Route.Rule rule) {
    RouteAction.Builder action = RouteAction.newBuilder();
    List<Route.Destination> destinations = weighted(rule.destinations());
    if (destinations.isEmpty()) {
      action.setCluster(ResourceNames.cluster(service));
    } else if (destinations.size() == 1) {
      action.setCluster(cluster(service, destinations.getFirst()));
    } else {
      WeightedCluster.Builder clusters = WeightedCluster.newBuilder();
      for (Route.Destination destination : destinations) {
        clusters.addClusters(
            WeightedCluster.ClusterWeight.newBuilder()
                .setName(cluster(service, destination))
                .setWeight(UInt32Value.of(destination.weight())));
      }
      action.setWeightedClusters(clusters);
    }
    String hashed = destinations.isEmpty() ? service : target(service, destinations.getFirst());
    hashPolicy(hashed).ifPresent(action::addHashPolicy);
    timeout(action, rule.timeout());
    if (rule.retry().enabled()) {
      action.setRetryPolicy(retry(rule.retry()));
    }
    for (Route.Mirror mirror : rule.mirrors()) {
      action.addRequestMirrorPolicies(
          RequestMirrorPolicy.newBuilder()
              .setCluster(
                  ResourceNames.cluster(
                      mirror.service().isEmpty() ? service : mirror.service(), mirror.subset()))
              .setRuntimeFraction(
                  RuntimeFractionalPercent.newBuilder()
                      .setDefaultValue(Percentages.of(mirror.percent()))));
    }
    return action.build();
  }

  /**
   * Envoy reads {@code timeout} (and defaults it to 15 s, so zero is written out to mean none);
   * grpc-java ignores it and takes the deadline from {@code max_stream_duration}, which also caps a
   * caller's own {@code grpc-timeout}.
   */
  private static void timeout(RouteAction.Builder action, Duration timeout) {
    action.setTimeout(ProtoDurations.of(timeout));
    if (!timeout.isZero()) {
      action.setMaxStreamDuration(
          MaxStreamDuration.newBuilder()
              .setMaxStreamDuration(ProtoDurations.of(timeout))
              .setGrpcTimeoutHeaderMax(ProtoDurations.of(timeout)));
    }
  }

  /**
   * grpc-java honours only the gRPC status conditions ({@code cancelled}, {@code
   * deadline-exceeded}, {@code resource-exhausted}, {@code unavailable}) and ignores the per-try
   * timeout; Envoy honours all. The request must be safe to send twice, which Envoy learns from
   * {@code retriable_request_headers} (any one must match): an idempotent method, or with {@code
   * idempotencyKey} an {@code Idempotency-Key} header.
   */
  static final String IDEMPOTENT_METHODS = "GET|HEAD|OPTIONS|TRACE|PUT|DELETE";

  static final String IDEMPOTENCY_KEY = "idempotency-key";

  static RetryPolicy retry(Route.RetryPolicy retry) {
    RetryPolicy.Builder policy =
        RetryPolicy.newBuilder()
            .setRetryOn(
                retry.retryOn().stream()
                    .map(Route.RetryOn::wireName)
                    .collect(Collectors.joining(",")))
            .setNumRetries(UInt32Value.of(retry.attempts()));
    if (!retry.perTryTimeout().isZero()) {
      policy.setPerTryTimeout(ProtoDurations.of(retry.perTryTimeout()));
    }
    if (!retry.backoffBase().isZero()) {
      // Both Envoy and grpc-java reject a max below the base.
      Duration max =
          retry.backoffMax().compareTo(retry.backoffBase()) < 0
              ? retry.backoffBase()
              : retry.backoffMax();
      policy.setRetryBackOff(
          RetryPolicy.RetryBackOff.newBuilder()
              .setBaseInterval(ProtoDurations.of(retry.backoffBase()))
              .setMaxInterval(ProtoDurations.of(max)));
    }
    // Only requests safe to send twice: Envoy retries any method unless told, FireMesh never.
    policy.addRetriableRequestHeaders(
        RouteMatchTranslator.header(
            ":method", new Route.ValueMatch.Regex(IDEMPOTENT_METHODS), false));
    if (retry.idempotencyKey()) {
      policy.addRetriableRequestHeaders(
          RouteMatchTranslator.header(IDEMPOTENCY_KEY, new Route.ValueMatch.Present(), false));
    }
    return policy.build();
  }

  /** Consistent hashing needs the route to say what to hash; the policy names the header. */
  private Optional<HashPolicy> hashPolicy(String service) {
    return mesh.policy(service, "")
        .map(TrafficPolicy.Spec::loadBalancer)
        .filter(lb -> lb.policy().hashes())
        .filter(lb -> !lb.hashHeader().isEmpty())
        .map(
            lb ->
                HashPolicy.newBuilder()
                    .setHeader(HashPolicy.Header.newBuilder().setHeaderName(lb.hashHeader()))
                    .build());
  }

  /** Destinations with a positive weight; all of them, equally, if none has one. */
  private static List<Route.Destination> weighted(List<Route.Destination> destinations) {
    List<Route.Destination> positive = destinations.stream().filter(d -> d.weight() > 0).toList();
    if (!positive.isEmpty()) {
      return positive;
    }
    return destinations.stream()
        .map(d -> new Route.Destination(d.service(), d.subset(), 1))
        .toList();
  }

  private static String target(String service, Route.Destination destination) {
    return destination.service().isEmpty() ? service : destination.service();
  }

  private static String cluster(String service, Route.Destination destination) {
    return ResourceNames.cluster(target(service, destination), destination.subset());
  }
}
