package dev.firemesh.xds.client;

import static dev.firemesh.xds.client.ProtoFields.at;

import dev.firemesh.traffic.config.HeaderMatcher;
import dev.firemesh.traffic.config.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.RouteAction.HashPolicy;
import io.envoyproxy.envoy.config.route.v3.RouteAction.RequestMirrorPolicy;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A route's {@code route} action: where requests go and under which timeout, retries, mirrors. */
final class ActionDecoder {
  /** Envoy's route timeout when none is given. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

  /** Envoy's retry back-off when none is given. */
  static final Duration DEFAULT_BACKOFF_BASE = Duration.ofMillis(25);

  private static final Set<String> ROUTE_ACTION =
      Set.of(
          "cluster",
          "weighted_clusters",
          "timeout",
          "retry_policy",
          "request_mirror_policies",
          "hash_policy",
          "max_stream_duration");
  private static final Set<String> RETRY_POLICY =
      Set.of(
          "retry_on",
          "num_retries",
          "per_try_timeout",
          "retry_back_off",
          "retriable_request_headers",
          "retry_host_predicate",
          "host_selection_retry_max_attempts");

  /**
   * The conditions the traffic model documents (Envoy's names); others, such as {@code
   * retriable-4xx} or {@code envoy-ratelimited}, are refused rather than ignored.
   */
  static final Set<String> RETRY_CONDITIONS =
      Set.of(
          "5xx",
          "gateway-error",
          "reset",
          "connect-failure",
          "refused-stream",
          "retriable-status-codes",
          "cancelled",
          "deadline-exceeded",
          "internal",
          "resource-exhausted",
          "unavailable");

  private ActionDecoder() {}

  /**
   * The action without its fault, which depends on the listener's filters.
   *
   * @param inheritedRetry the virtual host's retry policy, for routes that have none
   */
  static RouteTable.Action action(
      io.envoyproxy.envoy.config.route.v3.RouteAction action,
      String path,
      RouteAction.Retry inheritedRetry)
      throws FieldProblem {
    ProtoFields.only(action, path, ROUTE_ACTION);
    List<RouteAction.WeightedCluster> clusters =
        switch (action.getClusterSpecifierCase()) {
          case CLUSTER -> {
            if (action.getCluster().isEmpty()) {
              throw new FieldProblem(at(path, "cluster"), "empty cluster name");
            }
            yield List.of(new RouteAction.WeightedCluster(action.getCluster(), 1));
          }
          case WEIGHTED_CLUSTERS ->
              weighted(action.getWeightedClusters(), at(path, "weighted_clusters"));
          default -> throw new FieldProblem(path, "needs cluster or weighted_clusters");
        };
    Duration timeout =
        action.hasTimeout()
            ? ProtoFields.duration(action.getTimeout(), at(path, "timeout"))
            : DEFAULT_TIMEOUT;
    // Unset: the connection manager's applies. Zero: none, whatever the connection manager says.
    boolean inheritsStreamDuration = true;
    Duration streamDuration = Duration.ZERO;
    if (action.hasMaxStreamDuration()) {
      String streamPath = at(path, "max_stream_duration");
      var max = action.getMaxStreamDuration();
      // The grpc-timeout header settings only cap or shift a caller's own deadline, which the
      // caller enforces anyway.
      ProtoFields.only(
          max,
          streamPath,
          Set.of("max_stream_duration", "grpc_timeout_header_max", "grpc_timeout_header_offset"));
      if (max.hasMaxStreamDuration()) {
        inheritsStreamDuration = false;
        streamDuration =
            ProtoFields.duration(max.getMaxStreamDuration(), at(streamPath, "max_stream_duration"));
      }
    }
    RouteAction.Retry retry =
        action.hasRetryPolicy()
            ? retry(action.getRetryPolicy(), at(path, "retry_policy"))
            : inheritedRetry;
    List<RouteAction.Mirror> mirrors = new ArrayList<>();
    for (int i = 0; i < action.getRequestMirrorPoliciesCount(); i++) {
      mirrors.add(
          mirror(action.getRequestMirrorPolicies(i), at(path, "request_mirror_policies", i)));
    }
    String hashHeader = hashHeader(action.getHashPolicyList(), path);
    return new RouteTable.Action(
        clusters, timeout, inheritsStreamDuration, streamDuration, retry, mirrors, hashHeader);
  }

  private static List<RouteAction.WeightedCluster> weighted(WeightedCluster weighted, String path)
      throws FieldProblem {
    ProtoFields.only(weighted, path, Set.of("clusters", "total_weight", "runtime_key_prefix"));
    List<RouteAction.WeightedCluster> clusters = new ArrayList<>();
    for (int i = 0; i < weighted.getClustersCount(); i++) {
      String clusterPath = at(path, "clusters", i);
      WeightedCluster.ClusterWeight cluster = weighted.getClusters(i);
      ProtoFields.only(cluster, clusterPath, Set.of("name", "weight"));
      if (cluster.getName().isEmpty()) {
        throw new FieldProblem(at(clusterPath, "name"), "required");
      }
      int weight = ProtoFields.uint32(cluster.getWeight());
      // A zero weight gets no traffic; leaving it out says the same to the balancer.
      if (weight > 0) {
        clusters.add(new RouteAction.WeightedCluster(cluster.getName(), weight));
      }
    }
    if (clusters.isEmpty()) {
      throw new FieldProblem(path, "no cluster with a positive weight");
    }
    return clusters;
  }

  static RouteAction.Retry retry(RetryPolicy policy, String path) throws FieldProblem {
    ProtoFields.only(policy, path, RETRY_POLICY);
    Set<String> retryOn = new LinkedHashSet<>();
    for (String condition : policy.getRetryOn().split(",")) {
      String name = condition.strip();
      if (name.isEmpty()) {
        continue;
      }
      if (!RETRY_CONDITIONS.contains(name)) {
        throw new FieldProblem(
            at(path, "retry_on"),
            "unsupported condition '" + name + "' (supported: " + sorted(RETRY_CONDITIONS) + ")");
      }
      retryOn.add(name);
    }
    // Envoy retries once when num_retries is left out.
    int retries = policy.hasNumRetries() ? ProtoFields.uint32(policy.getNumRetries()) : 1;
    Duration perTry =
        policy.hasPerTryTimeout()
            ? ProtoFields.duration(policy.getPerTryTimeout(), at(path, "per_try_timeout"))
            : Duration.ZERO;
    Duration base = DEFAULT_BACKOFF_BASE;
    Duration max = DEFAULT_BACKOFF_BASE.multipliedBy(10);
    if (policy.hasRetryBackOff()) {
      String backOffPath = at(path, "retry_back_off");
      var backOff = policy.getRetryBackOff();
      ProtoFields.only(backOff, backOffPath, Set.of("base_interval", "max_interval"));
      base = ProtoFields.duration(backOff.getBaseInterval(), at(backOffPath, "base_interval"));
      if (base.isZero()) {
        throw new FieldProblem(at(backOffPath, "base_interval"), "must be greater than zero");
      }
      max =
          backOff.hasMaxInterval()
              ? ProtoFields.duration(backOff.getMaxInterval(), at(backOffPath, "max_interval"))
              : base.multipliedBy(10);
      if (max.compareTo(base) < 0) {
        throw new FieldProblem(
            at(backOffPath, "max_interval"), "shorter than base_interval (" + base + ")");
      }
    }
    List<HeaderMatcher> retriable = new ArrayList<>();
    for (int i = 0; i < policy.getRetriableRequestHeadersCount(); i++) {
      retriable.add(
          MatchDecoder.header(
              policy.getRetriableRequestHeaders(i), at(path, "retriable_request_headers", i)));
    }
    // Retries always prefer another host than those tried (Envoy's previous_hosts predicate), so
    // the predicate and its attempt count are accepted and need nothing more.
    return new RouteAction.Retry(retries, perTry, retryOn, base, max, retriable);
  }

  private static RouteAction.Mirror mirror(RequestMirrorPolicy mirror, String path)
      throws FieldProblem {
    ProtoFields.only(mirror, path, Set.of("cluster", "runtime_fraction", "trace_sampled"));
    if (mirror.getCluster().isEmpty()) {
      throw new FieldProblem(at(path, "cluster"), "required");
    }
    double percent = 100;
    if (mirror.hasRuntimeFraction()) {
      String fractionPath = at(path, "runtime_fraction");
      ProtoFields.only(
          mirror.getRuntimeFraction(), fractionPath, Set.of("default_value", "runtime_key"));
      percent =
          ProtoFields.percent(
              mirror.getRuntimeFraction().getDefaultValue(), at(fractionPath, "default_value"));
    }
    return new RouteAction.Mirror(mirror.getCluster(), percent);
  }

  /** The model hashes on one header; anything else a hash policy can say is refused. */
  private static String hashHeader(List<HashPolicy> policies, String path) throws FieldProblem {
    if (policies.isEmpty()) {
      return "";
    }
    if (policies.size() > 1) {
      throw new FieldProblem(at(path, "hash_policy"), "only one hash policy is supported");
    }
    String policyPath = at(path, "hash_policy", 0);
    HashPolicy policy = policies.getFirst();
    ProtoFields.only(policy, policyPath, Set.of("header", "terminal"));
    if (!policy.hasHeader()) {
      throw new FieldProblem(policyPath, "only a header hash policy is supported");
    }
    ProtoFields.only(policy.getHeader(), at(policyPath, "header"), Set.of("header_name"));
    String header = policy.getHeader().getHeaderName();
    if (header.isEmpty()) {
      throw new FieldProblem(at(policyPath, "header.header_name"), "required");
    }
    return header.toLowerCase(java.util.Locale.ROOT);
  }

  private static String sorted(Set<String> names) {
    String[] array = names.toArray(String[]::new);
    Arrays.sort(array);
    return String.join(", ", array);
  }
}
