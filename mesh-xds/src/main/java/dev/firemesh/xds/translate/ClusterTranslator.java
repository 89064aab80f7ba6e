package dev.firemesh.xds.translate;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.UInt64Value;
import dev.firemesh.api.resource.Service;
import dev.firemesh.api.resource.TrafficPolicy;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.Cluster.DiscoveryType;
import io.envoyproxy.envoy.config.cluster.v3.Cluster.EdsClusterConfig;
import io.envoyproxy.envoy.config.cluster.v3.Cluster.LbPolicy;
import io.envoyproxy.envoy.config.cluster.v3.Cluster.LeastRequestLbConfig;
import io.envoyproxy.envoy.config.cluster.v3.Cluster.MaglevLbConfig;
import io.envoyproxy.envoy.config.cluster.v3.LoadBalancingPolicy;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.core.v3.HealthCheck;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.extensions.load_balancing_policies.maglev.v3.Maglev;
import io.envoyproxy.envoy.extensions.load_balancing_policies.ring_hash.v3.RingHash;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.ExplicitHttpConfig;
import io.envoyproxy.envoy.type.v3.Percent;
import java.util.Optional;

/**
 * One EDS cluster (endpoints over ADS) per service and per subset, shaped by the TrafficPolicy for
 * that subset, else the service's, else the defaults.
 *
 * <p>Proxyless gRPC clients read only part of a cluster: the LB policy, {@code max_requests} of the
 * circuit breakers, and outlier detection's success-rate and failure-percentage algorithms (not the
 * consecutive-error ones, nor active health checks or the panic threshold). The rest is for
 * sidecars.
 */
final class ClusterTranslator {
  static final String HTTP_PROTOCOL_OPTIONS =
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
  private static final int ENFORCE_ALWAYS = 100;
  private static final int ENFORCE_NEVER = 0;

  private final MeshIndex mesh;

  ClusterTranslator(MeshIndex mesh) {
    this.mesh = mesh;
  }

  /** The cluster of a subset of {@code service}, or of all its instances if subset is empty. */
  Cluster cluster(Service service, String subset) {
    String name = ResourceNames.cluster(service.name(), subset);
    TrafficPolicy.Spec policy =
        mesh.policy(service.name(), subset).orElseGet(() -> defaultPolicy(service.name()));
    Cluster.Builder cluster =
        Cluster.newBuilder()
            .setName(name)
            .setType(DiscoveryType.EDS)
            .setEdsClusterConfig(
                EdsClusterConfig.newBuilder().setEdsConfig(ConfigSources.ADS).setServiceName(name))
            .setConnectTimeout(ProtoDurations.of(policy.connectionPool().connectTimeout()));
    loadBalancer(cluster, policy.loadBalancer());
    if (policy.loadBalancer().panicThreshold()
        != TrafficPolicy.LoadBalancer.DEFAULT_PANIC_THRESHOLD) {
      cluster.setCommonLbConfig(
          Cluster.CommonLbConfig.newBuilder()
              .setHealthyPanicThreshold(
                  Percent.newBuilder().setValue(policy.loadBalancer().panicThreshold())));
    }
    cluster.setCircuitBreakers(circuitBreakers(policy.circuitBreaker()));
    if (policy.outlierDetection().enabled()) {
      cluster.setOutlierDetection(outlierDetection(policy.outlierDetection()));
    }
    if (policy.healthCheck().enabled()) {
      cluster.addHealthChecks(healthCheck(policy.healthCheck(), service.name()));
    }
    if (subset.isEmpty()) {
      // the service's ports and inbound policy, once
      cluster.setMetadata(
          InboundPolicyMetadata.with(
              ServicePortsMetadata.of(service),
              mesh.rateLimit(service.name()),
              mesh.authorization(service.name()),
              mesh.mtls(service.name())));
    }
    httpProtocol(service, policy.connectionPool())
        .ifPresent(
            options -> cluster.putTypedExtensionProtocolOptions(HTTP_PROTOCOL_OPTIONS, options));
    return cluster.build();
  }

  /**
   * grpc-java knows ROUND_ROBIN, LEAST_REQUEST and RING_HASH and rejects the whole CDS response on
   * any other. RANDOM therefore becomes LEAST_REQUEST with two choices: it picks two endpoints at
   * random and takes the less loaded, which is random among equally loaded endpoints and never
   * worse otherwise. (A per-node view could give sidecars Envoy's own RANDOM.) MAGLEV is Envoy's
   * and the sidecar's; grpc-java reads the ring hash fallback listed after it.
   */
  private static void loadBalancer(Cluster.Builder cluster, TrafficPolicy.LoadBalancer lb) {
    switch (lb.policy()) {
      case ROUND_ROBIN -> cluster.setLbPolicy(LbPolicy.ROUND_ROBIN);
      case LEAST_REQUEST, RANDOM ->
          cluster
              .setLbPolicy(LbPolicy.LEAST_REQUEST)
              .setLeastRequestLbConfig(
                  LeastRequestLbConfig.newBuilder().setChoiceCount(UInt32Value.of(2)));
      case RING_HASH -> cluster.setLbPolicy(LbPolicy.RING_HASH);
      case MAGLEV ->
          cluster
              .setLbPolicy(LbPolicy.MAGLEV)
              .setMaglevLbConfig(
                  MaglevLbConfig.newBuilder().setTableSize(UInt64Value.of(lb.tableSize())))
              // Takes precedence over lb_policy where it is understood: Envoy and the sidecar
              // take Maglev, grpc-java (which has no Maglev) skips to ring hash, hashing the same
              // header, instead of refusing the cluster.
              .setLoadBalancingPolicy(
                  LoadBalancingPolicy.newBuilder()
                      .addPolicies(
                          policy(
                              "envoy.load_balancing_policies.maglev",
                              Maglev.newBuilder()
                                  .setTableSize(UInt64Value.of(lb.tableSize()))
                                  .build()))
                      .addPolicies(
                          policy(
                              "envoy.load_balancing_policies.ring_hash",
                              RingHash.newBuilder()
                                  .setHashFunction(RingHash.HashFunction.XX_HASH)
                                  .build())));
    }
  }

  private static LoadBalancingPolicy.Policy policy(
      String name, com.google.protobuf.Message config) {
    return LoadBalancingPolicy.Policy.newBuilder()
        .setTypedExtensionConfig(
            TypedExtensionConfig.newBuilder().setName(name).setTypedConfig(Any.pack(config)))
        .build();
  }

  private static CircuitBreakers circuitBreakers(TrafficPolicy.CircuitBreaker breaker) {
    CircuitBreakers.Thresholds.Builder thresholds =
        CircuitBreakers.Thresholds.newBuilder()
            .setPriority(RoutingPriority.DEFAULT)
            .setMaxConnections(UInt32Value.of(breaker.maxConnections()))
            .setMaxPendingRequests(UInt32Value.of(breaker.maxPendingRequests()))
            .setMaxRequests(UInt32Value.of(breaker.maxRequests()))
            .setMaxRetries(UInt32Value.of(breaker.maxRetries()));
    TrafficPolicy.RetryBudget budget = breaker.retryBudget();
    if (budget.enabled()) {
      thresholds.setRetryBudget(
          CircuitBreakers.Thresholds.RetryBudget.newBuilder()
              .setBudgetPercent(Percent.newBuilder().setValue(budget.percent()))
              .setMinRetryConcurrency(UInt32Value.of(budget.minRetryConcurrency())));
    }
    return CircuitBreakers.newBuilder().addThresholds(thresholds).build();
  }

  /**
   * Only the detectors the policy asks for: Envoy's success-rate detector, on by default, is
   * switched off unless the policy has a {@code successRate}, so nothing ejects that the operator
   * did not ask for. Envoy's stdev factor is in thousandths.
   */
  private static OutlierDetection outlierDetection(TrafficPolicy.OutlierDetection outliers) {
    OutlierDetection.Builder detection =
        OutlierDetection.newBuilder()
            .setInterval(ProtoDurations.of(outliers.interval()))
            .setBaseEjectionTime(ProtoDurations.of(outliers.baseEjectionTime()))
            .setMaxEjectionTime(ProtoDurations.of(outliers.maxEjectionTime()))
            .setMaxEjectionPercent(
                UInt32Value.of(Math.clamp(outliers.maxEjectionPercent(), 0, 100)));
    TrafficPolicy.SuccessRate rate = outliers.successRate();
    if (rate.enabled()) {
      detection
          .setEnforcingSuccessRate(UInt32Value.of(ENFORCE_ALWAYS))
          .setSuccessRateMinimumHosts(UInt32Value.of(rate.minimumHosts()))
          .setSuccessRateRequestVolume(UInt32Value.of(rate.requestVolume()))
          .setSuccessRateStdevFactor(UInt32Value.of((int) Math.round(rate.stdevFactor() * 1000)));
    } else {
      detection.setEnforcingSuccessRate(UInt32Value.of(ENFORCE_NEVER));
    }
    if (outliers.consecutive5xx() > 0) {
      detection
          .setConsecutive5Xx(UInt32Value.of(outliers.consecutive5xx()))
          .setEnforcingConsecutive5Xx(UInt32Value.of(ENFORCE_ALWAYS));
    } else {
      detection.setEnforcingConsecutive5Xx(UInt32Value.of(ENFORCE_NEVER));
    }
    if (outliers.consecutiveGatewayErrors() > 0) {
      detection
          .setConsecutiveGatewayFailure(UInt32Value.of(outliers.consecutiveGatewayErrors()))
          .setEnforcingConsecutiveGatewayFailure(UInt32Value.of(ENFORCE_ALWAYS));
    }
    return detection.build();
  }

  /**
   * The check names the service as its host (HTTP) or authority (gRPC): it reaches the instance's
   * sidecar, which forwards it to the application like any call to the service.
   */
  private static HealthCheck healthCheck(TrafficPolicy.HealthCheck check, String service) {
    HealthCheck.Builder health =
        HealthCheck.newBuilder()
            .setInterval(ProtoDurations.of(check.interval()))
            .setTimeout(ProtoDurations.of(check.timeout()))
            .setUnhealthyThreshold(UInt32Value.of(check.unhealthyThreshold()))
            .setHealthyThreshold(UInt32Value.of(check.healthyThreshold()));
    switch (check.type()) {
      case HTTP ->
          health.setHttpHealthCheck(
              HealthCheck.HttpHealthCheck.newBuilder()
                  .setHost(service)
                  .setPath(check.path().isEmpty() ? "/" : check.path()));
      case TCP -> health.setTcpHealthCheck(HealthCheck.TcpHealthCheck.getDefaultInstance());
      case GRPC ->
          health.setGrpcHealthCheck(HealthCheck.GrpcHealthCheck.newBuilder().setAuthority(service));
    }
    return health.build();
  }

  /**
   * How a sidecar talks to the instances: HTTP/2 if the service has a gRPC or HTTP/2 port, else
   * HTTP/1.1; none for a TCP-only service. Proxyless clients ignore it.
   */
  private static Optional<Any> httpProtocol(Service service, TrafficPolicy.ConnectionPool pool) {
    boolean http2 =
        service.spec().ports().stream()
            .anyMatch(
                p ->
                    p.protocol() == Service.Protocol.GRPC
                        || p.protocol() == Service.Protocol.HTTP2);
    boolean http1 =
        service.spec().ports().stream().anyMatch(p -> p.protocol() == Service.Protocol.HTTP1);
    if (!http2 && !http1) {
      return Optional.empty();
    }
    ExplicitHttpConfig.Builder explicit = ExplicitHttpConfig.newBuilder();
    if (http2) {
      explicit.setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance());
    } else {
      explicit.setHttpProtocolOptions(Http1ProtocolOptions.getDefaultInstance());
    }
    io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.Builder common =
        io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.newBuilder()
            .setIdleTimeout(ProtoDurations.of(pool.idleTimeout()));
    if (pool.maxRequestsPerConnection() > 0) {
      common.setMaxRequestsPerConnection(UInt32Value.of(pool.maxRequestsPerConnection()));
    }
    return Optional.of(
        Any.pack(
            HttpProtocolOptions.newBuilder()
                .setExplicitHttpConfig(explicit)
                .setCommonHttpProtocolOptions(common)
                .build()));
  }

  private static TrafficPolicy.Spec defaultPolicy(String service) {
    return new TrafficPolicy.Spec(
        service,
        "",
        TrafficPolicy.LoadBalancer.DEFAULT,
        TrafficPolicy.ConnectionPool.DEFAULT,
        TrafficPolicy.CircuitBreaker.DEFAULT,
        TrafficPolicy.OutlierDetection.DEFAULT,
        TrafficPolicy.HealthCheck.DEFAULT);
  }
}
