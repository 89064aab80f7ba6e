package dev.firemesh.xds.client;

import static dev.firemesh.xds.client.ProtoFields.at;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.Endpoint;
import dev.firemesh.traffic.config.InboundPolicy;
import dev.firemesh.traffic.config.ServicePort;
import dev.firemesh.xds.translate.ServicePortsMetadata;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.LoadBalancingPolicy;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.extensions.load_balancing_policies.least_request.v3.LeastRequest;
import io.envoyproxy.envoy.extensions.load_balancing_policies.maglev.v3.Maglev;
import io.envoyproxy.envoy.extensions.load_balancing_policies.random.v3.Random;
import io.envoyproxy.envoy.extensions.load_balancing_policies.ring_hash.v3.RingHash;
import io.envoyproxy.envoy.extensions.load_balancing_policies.round_robin.v3.RoundRobin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Cluster decoded without its endpoints, and where the endpoints come from: a
 * ClusterLoadAssignment over EDS, or the cluster's own {@code load_assignment} (STATIC).
 */
record ClusterShape(
    ClusterConfig config,
    Endpoints endpoints,
    DeclaredPorts ports,
    Optional<InboundPolicy> inbound) {
  static final String HTTP_PROTOCOL_OPTIONS =
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  /** Envoy's defaults where a cluster leaves them out. */
  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);

  /**
   * Read and honoured, or (stats names, metadata, buffer sizes) known to change nothing the data
   * plane does.
   */
  private static final Set<String> CLUSTER =
      Set.of(
          "name",
          "type",
          "eds_cluster_config",
          "load_assignment",
          "connect_timeout",
          "lb_policy",
          "least_request_lb_config",
          "ring_hash_lb_config",
          "maglev_lb_config",
          "load_balancing_policy",
          "circuit_breakers",
          "outlier_detection",
          "typed_extension_protocol_options",
          "http_protocol_options",
          "http2_protocol_options",
          "common_http_protocol_options",
          "health_checks",
          "common_lb_config",
          "alt_stat_name",
          "metadata",
          "per_connection_buffer_limit_bytes",
          "dns_lookup_family");

  private static final Set<String> HEALTH_CHECK =
      Set.of(
          "timeout",
          "interval",
          "interval_jitter",
          "initial_jitter",
          "unhealthy_threshold",
          "healthy_threshold",
          "http_health_check",
          "tcp_health_check",
          "grpc_health_check");

  private static final Set<String> THRESHOLDS =
      Set.of(
          "priority",
          "max_connections",
          "max_pending_requests",
          "max_requests",
          "max_retries",
          "retry_budget",
          "track_remaining");

  // Failure percentage is refused below when enforced; its tuning fields and the local-origin
  // split's are harmless while it is not. The ejection time jitter is not applied.
  private static final Set<String> OUTLIER_DETECTION =
      Set.of(
          "consecutive_5xx",
          "enforcing_consecutive_5xx",
          "consecutive_gateway_failure",
          "enforcing_consecutive_gateway_failure",
          "interval",
          "base_ejection_time",
          "max_ejection_percent",
          "max_ejection_time",
          "max_ejection_time_jitter",
          "enforcing_success_rate",
          "success_rate_minimum_hosts",
          "success_rate_request_volume",
          "success_rate_stdev_factor",
          "enforcing_failure_percentage",
          "enforcing_failure_percentage_local_origin",
          "failure_percentage_minimum_hosts",
          "failure_percentage_request_volume",
          "failure_percentage_threshold",
          "successful_active_health_check_uneject_host",
          "enforcing_local_origin_success_rate",
          "enforcing_consecutive_local_origin_failure",
          "consecutive_local_origin_failure");

  /**
   * The ports of the service a cluster belongs to, from its {@link ServicePortsMetadata}; {@link
   * #NONE} when the cluster carries none (subset clusters, other control planes).
   */
  record DeclaredPorts(String service, List<ServicePort> ports) {
    static final DeclaredPorts NONE = new DeclaredPorts("", List.of());

    DeclaredPorts {
      ports = List.copyOf(ports);
    }
  }

  /** Where a cluster's endpoints come from. */
  sealed interface Endpoints {
    /** The ClusterLoadAssignment named {@code name}, over the ADS stream. */
    record Eds(String name) implements Endpoints {}

    record Static(List<Endpoint> endpoints) implements Endpoints {
      public Static {
        endpoints = List.copyOf(endpoints);
      }
    }
  }

  static ClusterShape decode(Cluster cluster) throws FieldProblem {
    ProtoFields.only(cluster, "", CLUSTER);
    Endpoints endpoints =
        switch (cluster.getClusterDiscoveryTypeCase()) {
          case TYPE ->
              switch (cluster.getType()) {
                case EDS -> {
                  var eds = cluster.getEdsClusterConfig();
                  ProtoFields.only(eds, "eds_cluster_config", Set.of("eds_config", "service_name"));
                  HttpListener.source(eds.getEdsConfig(), "eds_cluster_config.eds_config");
                  yield new Endpoints.Eds(
                      eds.getServiceName().isEmpty() ? cluster.getName() : eds.getServiceName());
                }
                case STATIC ->
                    new Endpoints.Static(
                        EndpointDecoder.endpoints(cluster.getLoadAssignment(), "load_assignment"));
                default ->
                    throw new FieldProblem(
                        "type", cluster.getType() + " clusters are not supported (EDS or STATIC)");
              };
          // An unset type is STATIC, the proto default.
          case CLUSTERDISCOVERYTYPE_NOT_SET ->
              new Endpoints.Static(
                  EndpointDecoder.endpoints(cluster.getLoadAssignment(), "load_assignment"));
          default ->
              throw new FieldProblem("cluster_type", "custom cluster types are not supported");
        };
    if (cluster.hasLoadAssignment() && endpoints instanceof Endpoints.Eds) {
      throw new FieldProblem("load_assignment", "not allowed on an EDS cluster");
    }
    Duration connectTimeout =
        cluster.hasConnectTimeout()
            ? ProtoFields.duration(cluster.getConnectTimeout(), "connect_timeout")
            : DEFAULT_CONNECT_TIMEOUT;
    Protocol protocol = protocol(cluster);
    Balancing balancing =
        cluster.hasLoadBalancingPolicy()
            ? balancing(cluster.getLoadBalancingPolicy())
            : new Balancing(balancer(cluster), maglevTableSize(cluster));
    ClusterConfig config =
        new ClusterConfig(
            cluster.getName(),
            protocol.protocol(),
            balancing.policy(),
            connectTimeout,
            protocol.idleTimeout(),
            limits(cluster),
            outlierDetection(cluster),
            List.of(),
            balancing.maglevTableSize(),
            healthCheck(cluster),
            panicThreshold(cluster));
    DeclaredPorts ports = declaredPorts(cluster);
    Optional<InboundPolicy> inbound = InboundPolicyDecoder.decode(cluster);
    if (inbound.isPresent() && ports.service().isEmpty()) {
      throw new FieldProblem(
          "metadata.filter_metadata", "an inbound policy needs the service's ports beside it");
    }
    return new ClusterShape(config, endpoints, ports, inbound);
  }

  /** The service's ports from the cluster's metadata; other metadata changes nothing here. */
  private static DeclaredPorts declaredPorts(Cluster cluster) throws FieldProblem {
    Struct struct = cluster.getMetadata().getFilterMetadataMap().get(ServicePortsMetadata.FILTER);
    if (struct == null) {
      return DeclaredPorts.NONE;
    }
    String path = "metadata.filter_metadata[" + ServicePortsMetadata.FILTER + "]";
    Value service = struct.getFieldsOrDefault("service", Value.getDefaultInstance());
    if (!service.hasStringValue() || service.getStringValue().isEmpty()) {
      throw new FieldProblem(at(path, "service"), "expected the service name");
    }
    Value list = struct.getFieldsOrDefault("ports", Value.getDefaultInstance());
    if (!list.hasListValue()) {
      throw new FieldProblem(at(path, "ports"), "expected a list of ports");
    }
    List<ServicePort> ports = new ArrayList<>();
    for (int i = 0; i < list.getListValue().getValuesCount(); i++) {
      String portPath = at(path, "ports", i);
      Value entry = list.getListValue().getValues(i);
      if (!entry.hasStructValue()) {
        throw new FieldProblem(portPath, "expected {name, port, protocol}");
      }
      Map<String, Value> fields = entry.getStructValue().getFieldsMap();
      Value name = fields.getOrDefault("name", Value.getDefaultInstance());
      Value number = fields.getOrDefault("port", Value.getDefaultInstance());
      Value protocol = fields.getOrDefault("protocol", Value.getDefaultInstance());
      if (!name.hasStringValue()) {
        throw new FieldProblem(at(portPath, "name"), "expected a string");
      }
      double port = number.getNumberValue();
      if (!number.hasNumberValue() || port != Math.rint(port) || port < 1 || port > 65535) {
        throw new FieldProblem(at(portPath, "port"), "expected a port number 1-65535");
      }
      ClusterConfig.Protocol decoded =
          switch (protocol.getStringValue()) {
            case "http1" -> ClusterConfig.Protocol.HTTP1;
            case "http2", "grpc" -> ClusterConfig.Protocol.HTTP2;
            case "tcp" -> ClusterConfig.Protocol.TCP;
            default ->
                throw new FieldProblem(
                    at(portPath, "protocol"),
                    "expected http1, http2, grpc or tcp, got '" + protocol.getStringValue() + "'");
          };
      ports.add(new ServicePort(name.getStringValue(), (int) port, decoded));
    }
    return new DeclaredPorts(service.getStringValue(), ports);
  }

  /** The cluster with {@code endpoints}. */
  ClusterConfig with(List<Endpoint> endpoints) {
    return config.withEndpoints(endpoints);
  }

  private record Balancing(ClusterConfig.BalancerPolicy policy, int maglevTableSize) {}

  /**
   * Envoy's {@code load_balancing_policy}, which takes precedence over {@code lb_policy}: the first
   * policy in the list this sidecar knows wins, as in Envoy and grpc-java. The control plane lists
   * Maglev then ring hash, so that grpc-java, which has no Maglev, takes ring hash.
   */
  private static Balancing balancing(LoadBalancingPolicy policies) throws FieldProblem {
    ProtoFields.only(policies, "load_balancing_policy", Set.of("policies"));
    for (int i = 0; i < policies.getPoliciesCount(); i++) {
      String path = "load_balancing_policy.policies[" + i + "].typed_extension_config";
      TypedExtensionConfig extension = policies.getPolicies(i).getTypedExtensionConfig();
      Any config = extension.getTypedConfig();
      if (config.is(Maglev.class)) {
        Maglev maglev = ProtoFields.unpack(config, Maglev.class, path + ".typed_config");
        long size =
            maglev.hasTableSize()
                ? maglev.getTableSize().getValue()
                : ClusterConfig.DEFAULT_MAGLEV_TABLE_SIZE;
        if (!ClusterConfig.isMaglevTableSize(size)) {
          throw new FieldProblem(
              path + ".typed_config.table_size",
              "must be a prime of at most " + ClusterConfig.MAX_MAGLEV_TABLE_SIZE + ": " + size);
        }
        return new Balancing(ClusterConfig.BalancerPolicy.MAGLEV, (int) size);
      }
      Optional<ClusterConfig.BalancerPolicy> known =
          config.is(RingHash.class)
              ? Optional.of(ClusterConfig.BalancerPolicy.RING_HASH)
              : config.is(RoundRobin.class)
                  ? Optional.of(ClusterConfig.BalancerPolicy.ROUND_ROBIN)
                  : config.is(LeastRequest.class)
                      ? Optional.of(ClusterConfig.BalancerPolicy.LEAST_REQUEST)
                      : config.is(Random.class)
                          ? Optional.of(ClusterConfig.BalancerPolicy.RANDOM)
                          : Optional.empty();
      if (known.isPresent()) {
        return new Balancing(known.get(), ClusterConfig.DEFAULT_MAGLEV_TABLE_SIZE);
      }
    }
    throw new FieldProblem(
        "load_balancing_policy", "names no policy this sidecar knows (maglev, ring_hash, ...)");
  }

  private static ClusterConfig.BalancerPolicy balancer(Cluster cluster) throws FieldProblem {
    // The balancers' other tuning (choice count, ring sizes, hash function) is the router's.
    return switch (cluster.getLbPolicy()) {
      case ROUND_ROBIN -> ClusterConfig.BalancerPolicy.ROUND_ROBIN;
      case LEAST_REQUEST -> ClusterConfig.BalancerPolicy.LEAST_REQUEST;
      case RANDOM -> ClusterConfig.BalancerPolicy.RANDOM;
      case RING_HASH -> ClusterConfig.BalancerPolicy.RING_HASH;
      case MAGLEV -> ClusterConfig.BalancerPolicy.MAGLEV;
      default -> throw new FieldProblem("lb_policy", cluster.getLbPolicy() + " is not supported");
    };
  }

  /** Envoy's rules: a prime, at most 5000011, 65537 when left out. */
  private static int maglevTableSize(Cluster cluster) throws FieldProblem {
    if (!cluster.hasMaglevLbConfig()) {
      return ClusterConfig.DEFAULT_MAGLEV_TABLE_SIZE;
    }
    ProtoFields.only(cluster.getMaglevLbConfig(), "maglev_lb_config", Set.of("table_size"));
    if (!cluster.getMaglevLbConfig().hasTableSize()) {
      return ClusterConfig.DEFAULT_MAGLEV_TABLE_SIZE;
    }
    long size = cluster.getMaglevLbConfig().getTableSize().getValue();
    if (!ClusterConfig.isMaglevTableSize(size)) {
      throw new FieldProblem(
          "maglev_lb_config.table_size",
          "must be a prime of at most "
              + ClusterConfig.MAX_MAGLEV_TABLE_SIZE
              + ": "
              + Long.toUnsignedString(size));
    }
    return (int) size;
  }

  private record Protocol(ClusterConfig.Protocol protocol, Duration idleTimeout) {}

  /**
   * HTTP/1.1 or HTTP/2 as the HttpProtocolOptions extension (or the deprecated cluster fields) say;
   * a cluster with neither is TCP.
   */
  @SuppressWarnings(
      "deprecation") // the pre-extension fields, which older control planes still send
  private static Protocol protocol(Cluster cluster) throws FieldProblem {
    ClusterConfig.Protocol protocol = ClusterConfig.Protocol.TCP;
    HttpProtocolOptions common = cluster.getCommonHttpProtocolOptions();
    String commonPath = "common_http_protocol_options";
    if (cluster.hasHttp2ProtocolOptions()) {
      protocol = ClusterConfig.Protocol.HTTP2;
    } else if (cluster.hasHttpProtocolOptions()) {
      protocol = ClusterConfig.Protocol.HTTP1;
    }
    for (var entry : cluster.getTypedExtensionProtocolOptionsMap().entrySet()) {
      String path = "typed_extension_protocol_options[" + entry.getKey() + "]";
      if (!entry.getKey().equals(HTTP_PROTOCOL_OPTIONS)) {
        throw new FieldProblem(path, "unsupported extension (only " + HTTP_PROTOCOL_OPTIONS + ")");
      }
      var options =
          ProtoFields.unpack(
              entry.getValue(),
              io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.class,
              path);
      ProtoFields.only(
          options, path, Set.of("explicit_http_config", "common_http_protocol_options"));
      if (!options.hasExplicitHttpConfig()) {
        throw new FieldProblem(
            path, "only explicit_http_config is supported (not auto or downstream protocol)");
      }
      String explicitPath = at(path, "explicit_http_config");
      protocol =
          switch (options.getExplicitHttpConfig().getProtocolConfigCase()) {
            case HTTP_PROTOCOL_OPTIONS -> ClusterConfig.Protocol.HTTP1;
            case HTTP2_PROTOCOL_OPTIONS -> ClusterConfig.Protocol.HTTP2;
            default -> throw new FieldProblem(explicitPath, "only HTTP/1.1 or HTTP/2 is supported");
          };
      if (options.hasCommonHttpProtocolOptions()) {
        common = options.getCommonHttpProtocolOptions();
        commonPath = at(path, "common_http_protocol_options");
      }
    }
    // The common options' other limits (requests per connection, header counts) are not in the
    // traffic model; the idle timeout is.
    Duration idle =
        common.hasIdleTimeout()
            ? ProtoFields.duration(common.getIdleTimeout(), at(commonPath, "idle_timeout"))
            : DEFAULT_IDLE_TIMEOUT;
    return new Protocol(protocol, idle);
  }

  /** The thresholds of DEFAULT priority; FireMesh routes only at DEFAULT priority. */
  private static ClusterConfig.Limits limits(Cluster cluster) throws FieldProblem {
    ClusterConfig.Limits defaults = ClusterConfig.Limits.DEFAULT;
    CircuitBreakers breakers = cluster.getCircuitBreakers();
    ProtoFields.only(breakers, "circuit_breakers", Set.of("thresholds"));
    for (int i = 0; i < breakers.getThresholdsCount(); i++) {
      CircuitBreakers.Thresholds thresholds = breakers.getThresholds(i);
      ProtoFields.only(thresholds, at("circuit_breakers", "thresholds", i), THRESHOLDS);
      if (thresholds.getPriority() == RoutingPriority.DEFAULT) {
        double budgetPercent = 0;
        int minRetryConcurrency = defaults.minRetryConcurrency();
        if (thresholds.hasRetryBudget()) {
          String budgetPath = at(at("circuit_breakers", "thresholds", i), "retry_budget");
          var budget = thresholds.getRetryBudget();
          ProtoFields.only(budget, budgetPath, Set.of("budget_percent", "min_retry_concurrency"));
          // Envoy's defaults for a budget that leaves a field out: 20 % and 3.
          budgetPercent = budget.hasBudgetPercent() ? budget.getBudgetPercent().getValue() : 20.0;
          if (!(budgetPercent > 0 && budgetPercent <= 100)) {
            throw new FieldProblem(
                at(budgetPath, "budget_percent"), "expected more than 0 and at most 100");
          }
          if (budget.hasMinRetryConcurrency()) {
            minRetryConcurrency = ProtoFields.uint32(budget.getMinRetryConcurrency());
          }
        }
        return new ClusterConfig.Limits(
            thresholds.hasMaxConnections()
                ? ProtoFields.uint32(thresholds.getMaxConnections())
                : defaults.maxConnections(),
            thresholds.hasMaxPendingRequests()
                ? ProtoFields.uint32(thresholds.getMaxPendingRequests())
                : defaults.maxPendingRequests(),
            thresholds.hasMaxRequests()
                ? ProtoFields.uint32(thresholds.getMaxRequests())
                : defaults.maxRequests(),
            thresholds.hasMaxRetries()
                ? ProtoFields.uint32(thresholds.getMaxRetries())
                : defaults.maxRetries(),
            budgetPercent,
            minRetryConcurrency);
      }
    }
    return defaults;
  }

  /**
   * Consecutive errors and success rate, with Envoy's defaults (including success-rate ejection,
   * which Envoy enforces unless told otherwise). Failure-percentage ejection is not in the traffic
   * model: a cluster that enforces it is refused.
   */
  private static ClusterConfig.OutlierDetection outlierDetection(Cluster cluster)
      throws FieldProblem {
    if (!cluster.hasOutlierDetection()) {
      return ClusterConfig.OutlierDetection.DISABLED;
    }
    String path = "outlier_detection";
    OutlierDetection detection = cluster.getOutlierDetection();
    ProtoFields.only(detection, path, OUTLIER_DETECTION);
    if (enforced(
        detection.hasEnforcingFailurePercentage(),
        detection.getEnforcingFailurePercentage(),
        0,
        path,
        "enforcing_failure_percentage")) {
      throw new FieldProblem(
          at(path, "enforcing_failure_percentage"), "failure-percentage ejection is not supported");
    }
    int consecutive5xx =
        enforced(
                detection.hasEnforcingConsecutive5Xx(),
                detection.getEnforcingConsecutive5Xx(),
                100,
                path,
                "enforcing_consecutive_5xx")
            ? (detection.hasConsecutive5Xx()
                ? ProtoFields.uint32(detection.getConsecutive5Xx())
                : 5)
            : 0;
    int gatewayErrors =
        enforced(
                detection.hasEnforcingConsecutiveGatewayFailure(),
                detection.getEnforcingConsecutiveGatewayFailure(),
                0,
                path,
                "enforcing_consecutive_gateway_failure")
            ? (detection.hasConsecutiveGatewayFailure()
                ? ProtoFields.uint32(detection.getConsecutiveGatewayFailure())
                : 5)
            : 0;
    ClusterConfig.SuccessRate successRate = successRate(detection, path);
    ClusterConfig.OutlierDetection defaults = ClusterConfig.OutlierDetection.DISABLED;
    Duration interval =
        detection.hasInterval()
            ? ProtoFields.duration(detection.getInterval(), at(path, "interval"))
            : defaults.interval();
    if (interval.isZero()) {
      throw new FieldProblem(at(path, "interval"), "must be positive");
    }
    Duration baseEjection =
        detection.hasBaseEjectionTime()
            ? ProtoFields.duration(detection.getBaseEjectionTime(), at(path, "base_ejection_time"))
            : defaults.baseEjectionTime();
    Duration maxEjection =
        detection.hasMaxEjectionTime()
            ? ProtoFields.duration(detection.getMaxEjectionTime(), at(path, "max_ejection_time"))
            : defaults.maxEjectionTime();
    int maxEjectionPercent =
        detection.hasMaxEjectionPercent()
            ? Math.min(100, ProtoFields.uint32(detection.getMaxEjectionPercent()))
            : defaults.maxEjectionPercent();
    return new ClusterConfig.OutlierDetection(
        consecutive5xx,
        gatewayErrors,
        interval,
        baseEjection,
        maxEjectionPercent,
        successRate,
        maxEjection);
  }

  /** Envoy's success-rate settings: 5 hosts, 100 requests, a stdev factor of 1900 thousandths. */
  private static ClusterConfig.SuccessRate successRate(OutlierDetection detection, String path)
      throws FieldProblem {
    boolean on =
        enforced(
            detection.hasEnforcingSuccessRate(),
            detection.getEnforcingSuccessRate(),
            100,
            path,
            "enforcing_success_rate");
    ClusterConfig.SuccessRate defaults = ClusterConfig.SuccessRate.DISABLED;
    int hosts =
        detection.hasSuccessRateMinimumHosts()
            ? ProtoFields.uint32(detection.getSuccessRateMinimumHosts())
            : defaults.minimumHosts();
    int volume =
        detection.hasSuccessRateRequestVolume()
            ? ProtoFields.uint32(detection.getSuccessRateRequestVolume())
            : defaults.requestVolume();
    double factor =
        detection.hasSuccessRateStdevFactor()
            ? ProtoFields.uint32(detection.getSuccessRateStdevFactor()) / 1000.0
            : defaults.stdevFactor();
    if (!on) {
      return defaults;
    }
    if (hosts < 1) {
      throw new FieldProblem(at(path, "success_rate_minimum_hosts"), "must be at least 1");
    }
    if (volume < 1) {
      throw new FieldProblem(at(path, "success_rate_request_volume"), "must be at least 1");
    }
    if (factor <= 0) {
      throw new FieldProblem(at(path, "success_rate_stdev_factor"), "must be positive");
    }
    return new ClusterConfig.SuccessRate(true, hosts, volume, factor);
  }

  /**
   * The first (and only supported) active health check. Envoy's defaults where the cluster leaves
   * fields out; the HTTP host and gRPC authority default to the cluster's name, as in Envoy.
   */
  private static ClusterConfig.HealthCheck healthCheck(Cluster cluster) throws FieldProblem {
    if (cluster.getHealthChecksCount() == 0) {
      return ClusterConfig.HealthCheck.DISABLED;
    }
    if (cluster.getHealthChecksCount() > 1) {
      throw new FieldProblem("health_checks[1]", "only one health check per cluster is supported");
    }
    String path = "health_checks[0]";
    io.envoyproxy.envoy.config.core.v3.HealthCheck check = cluster.getHealthChecks(0);
    ProtoFields.only(check, path, HEALTH_CHECK);
    if (!check.hasInterval() || !check.hasTimeout()) {
      throw new FieldProblem(
          at(path, check.hasInterval() ? "timeout" : "interval"), "required (Envoy requires it)");
    }
    Duration interval = ProtoFields.duration(check.getInterval(), at(path, "interval"));
    Duration timeout = ProtoFields.duration(check.getTimeout(), at(path, "timeout"));
    if (interval.isZero() || timeout.isZero()) {
      throw new FieldProblem(
          at(path, interval.isZero() ? "interval" : "timeout"), "must be positive");
    }
    int unhealthy =
        check.hasUnhealthyThreshold() ? ProtoFields.uint32(check.getUnhealthyThreshold()) : 0;
    int healthy = check.hasHealthyThreshold() ? ProtoFields.uint32(check.getHealthyThreshold()) : 0;
    if (unhealthy < 1 || healthy < 1) {
      throw new FieldProblem(
          at(path, unhealthy < 1 ? "unhealthy_threshold" : "healthy_threshold"),
          "required, at least 1");
    }
    ClusterConfig.HealthCheck.Type type;
    String requestPath = "";
    String authority = cluster.getName();
    switch (check.getHealthCheckerCase()) {
      case HTTP_HEALTH_CHECK -> {
        var http = check.getHttpHealthCheck();
        ProtoFields.only(http, at(path, "http_health_check"), Set.of("host", "path"));
        type = ClusterConfig.HealthCheck.Type.HTTP;
        requestPath = http.getPath();
        if (!requestPath.startsWith("/")) {
          throw new FieldProblem(at(path, "http_health_check.path"), "expected a path from /");
        }
        if (!http.getHost().isEmpty()) {
          authority = http.getHost();
        }
      }
      case TCP_HEALTH_CHECK -> {
        ProtoFields.only(check.getTcpHealthCheck(), at(path, "tcp_health_check"), Set.of());
        type = ClusterConfig.HealthCheck.Type.TCP;
      }
      case GRPC_HEALTH_CHECK -> {
        var grpc = check.getGrpcHealthCheck();
        ProtoFields.only(grpc, at(path, "grpc_health_check"), Set.of("authority"));
        type = ClusterConfig.HealthCheck.Type.GRPC;
        if (!grpc.getAuthority().isEmpty()) {
          authority = grpc.getAuthority();
        }
      }
      default ->
          throw new FieldProblem(
              path, "expected an http_health_check, tcp_health_check or grpc_health_check");
    }
    return new ClusterConfig.HealthCheck(
        type, requestPath, authority, interval, timeout, unhealthy, healthy);
  }

  /** {@code common_lb_config.healthy_panic_threshold}; Envoy's 50 % when left out. */
  private static double panicThreshold(Cluster cluster) throws FieldProblem {
    if (!cluster.hasCommonLbConfig()) {
      return ClusterConfig.DEFAULT_PANIC_THRESHOLD;
    }
    var common = cluster.getCommonLbConfig();
    ProtoFields.only(common, "common_lb_config", Set.of("healthy_panic_threshold"));
    if (!common.hasHealthyPanicThreshold()) {
      return ClusterConfig.DEFAULT_PANIC_THRESHOLD;
    }
    double percent = common.getHealthyPanicThreshold().getValue();
    if (!(percent >= 0 && percent <= 100)) {
      throw new FieldProblem(
          "common_lb_config.healthy_panic_threshold.value", "expected 0 to 100: " + percent);
    }
    return percent;
  }

  /**
   * Whether a detector is enforced. Envoy enforces a percentage of ejections; the model enforces
   * all or none, so anything between is refused.
   */
  private static boolean enforced(
      boolean present,
      com.google.protobuf.UInt32Value value,
      int defaultPercent,
      String path,
      String field)
      throws FieldProblem {
    int percent = present ? ProtoFields.uint32(value) : defaultPercent;
    if (percent != 0 && percent != 100) {
      throw new FieldProblem(
          at(path, field), "only 0 or 100 is supported (partial enforcement): " + percent);
    }
    return percent == 100;
  }
}
