package dev.firemesh.api.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.api.resource.Metadata;
import dev.firemesh.api.resource.TrafficPolicy;
import dev.firemesh.api.resource.TrafficPolicy.CircuitBreaker;
import dev.firemesh.api.resource.TrafficPolicy.ConnectionPool;
import dev.firemesh.api.resource.TrafficPolicy.HealthCheck;
import dev.firemesh.api.resource.TrafficPolicy.LoadBalancer;
import dev.firemesh.api.resource.TrafficPolicy.OutlierDetection;
import dev.firemesh.api.resource.TrafficPolicy.RetryBudget;
import java.time.Duration;

/**
 * {@code TrafficPolicy}: {@code service}, optional {@code subset}, and five optional blocks. Each
 * field of a block defaults on its own to the block's {@code DEFAULT}, so {@code circuitBreaker:
 * {maxRequests: 100}} changes one limit only; a block is written back only if something in it
 * differs from the default.
 */
final class TrafficPolicyCodec implements KindCodec<TrafficPolicy> {

  private static final int MAX = Integer.MAX_VALUE;
  private static final Duration POSITIVE = Duration.ofNanos(1);

  @Override
  public TrafficPolicy read(Metadata metadata, Fields spec) {
    return new TrafficPolicy(
        metadata,
        new TrafficPolicy.Spec(
            spec.required("service", Values.string(StringRule.NAME), ""),
            spec.optional("subset", Values.string(StringRule.NAME), ""),
            spec.optional(
                "loadBalancer",
                Values.object(TrafficPolicyCodec::loadBalancer),
                LoadBalancer.DEFAULT),
            spec.optional(
                "connectionPool",
                Values.object(TrafficPolicyCodec::connectionPool),
                ConnectionPool.DEFAULT),
            spec.optional(
                "circuitBreaker",
                Values.object(TrafficPolicyCodec::circuitBreaker),
                CircuitBreaker.DEFAULT),
            spec.optional(
                "outlierDetection",
                Values.object(TrafficPolicyCodec::outlierDetection),
                OutlierDetection.DEFAULT),
            spec.optional(
                "healthCheck",
                Values.object(TrafficPolicyCodec::healthCheck),
                HealthCheck.DEFAULT)));
  }

  private static LoadBalancer loadBalancer(Fields f) {
    LoadBalancer d = LoadBalancer.DEFAULT;
    LoadBalancer.Policy policy =
        f.optional(
            "policy",
            Values.oneOf(LoadBalancer.Policy.values(), LoadBalancer.Policy::name),
            d.policy());
    String hashHeader = f.optional("hashHeader", Values.string(StringRule.HEADER_NAME), "");
    if (policy.hashes() && !f.has("hashHeader")) {
      f.context()
          .problem(
              f.position(),
              f.pathOf("hashHeader"),
              "required when policy is " + policy.name() + ": the request header to hash on");
    }
    if (!policy.hashes() && f.has("hashHeader")) {
      f.context().problemAt(f.pathOf("hashHeader"), "only used when policy is RING_HASH or MAGLEV");
    }
    int tableSize =
        f.optional("tableSize", Values.integer(2, LoadBalancer.MAX_TABLE_SIZE), d.tableSize());
    if (f.has("tableSize")) {
      if (policy != LoadBalancer.Policy.MAGLEV) {
        f.context().problemAt(f.pathOf("tableSize"), "only used when policy is MAGLEV");
      } else if (!LoadBalancer.isTableSize(tableSize)) {
        f.context()
            .problemAt(
                f.pathOf("tableSize"),
                "must be a prime (Maglev's permutations need one), such as 65537 or 131071: "
                    + tableSize);
      }
    }
    boolean localityAware = f.optional("localityAware", Values.bool(), d.localityAware());
    return new LoadBalancer(policy, hashHeader, tableSize, localityAware);
  }

  private static ConnectionPool connectionPool(Fields f) {
    ConnectionPool d = ConnectionPool.DEFAULT;
    return new ConnectionPool(
        f.optional("connectTimeout", Values.duration(POSITIVE), d.connectTimeout()),
        f.optional("idleTimeout", Values.duration(Duration.ZERO), d.idleTimeout()),
        f.optional(
            "maxRequestsPerConnection", Values.integer(0, MAX), d.maxRequestsPerConnection()));
  }

  private static CircuitBreaker circuitBreaker(Fields f) {
    CircuitBreaker d = CircuitBreaker.DEFAULT;
    return new CircuitBreaker(
        f.optional("maxConnections", Values.integer(1, MAX), d.maxConnections()),
        f.optional("maxPendingRequests", Values.integer(1, MAX), d.maxPendingRequests()),
        f.optional("maxRequests", Values.integer(1, MAX), d.maxRequests()),
        f.optional("maxRetries", Values.integer(0, MAX), d.maxRetries()),
        f.optional("retryBudget", Values.object(TrafficPolicyCodec::retryBudget), d.retryBudget()));
  }

  private static RetryBudget retryBudget(Fields f) {
    RetryBudget d = RetryBudget.NONE;
    double percent = f.required("percent", Values.percent(), 0.0);
    if (percent == 0) {
      f.context()
          .problemAt(f.pathOf("percent"), "expected more than 0; leave retryBudget out for none");
    }
    return new RetryBudget(
        percent,
        f.optional("minRetryConcurrency", Values.integer(0, MAX), d.minRetryConcurrency()));
  }

  private static OutlierDetection outlierDetection(Fields f) {
    OutlierDetection d = OutlierDetection.DEFAULT;
    return new OutlierDetection(
        f.optional("consecutive5xx", Values.integer(0, MAX), d.consecutive5xx()),
        f.optional(
            "consecutiveGatewayErrors", Values.integer(0, MAX), d.consecutiveGatewayErrors()),
        f.optional("interval", Values.duration(POSITIVE), d.interval()),
        f.optional("baseEjectionTime", Values.duration(POSITIVE), d.baseEjectionTime()),
        f.optional("maxEjectionPercent", Values.integer(0, 100), d.maxEjectionPercent()));
  }

  private static HealthCheck healthCheck(Fields f) {
    HealthCheck d = HealthCheck.DEFAULT;
    HealthCheck.Type type =
        f.optional(
            "type", Values.oneOf(HealthCheck.Type.values(), HealthCheck.Type::name), d.type());
    String path = f.optional("path", Values.string(StringRule.REQUEST_PATH), d.path());
    if (type == HealthCheck.Type.HTTP && !f.has("path")) {
      f.context()
          .problem(f.position(), f.pathOf("path"), "required when type is HTTP: the path to GET");
    }
    if (type != HealthCheck.Type.HTTP && f.has("path")) {
      f.context().problemAt(f.pathOf("path"), "only used when type is HTTP");
    }
    return new HealthCheck(
        type,
        path,
        f.optional("interval", Values.duration(Duration.ZERO), d.interval()),
        f.optional("timeout", Values.duration(POSITIVE), d.timeout()),
        f.optional("unhealthyThreshold", Values.integer(1, MAX), d.unhealthyThreshold()),
        f.optional("healthyThreshold", Values.integer(1, MAX), d.healthyThreshold()));
  }

  @Override
  public ObjectNode writeSpec(TrafficPolicy policy) {
    TrafficPolicy.Spec s = policy.spec();
    ObjectNode spec = Trees.object().put("service", s.service());
    if (!s.subset().isEmpty()) {
      spec.put("subset", s.subset());
    }
    Trees.putUnlessEmpty(spec, "loadBalancer", write(s.loadBalancer()));
    Trees.putUnlessEmpty(spec, "connectionPool", write(s.connectionPool()));
    Trees.putUnlessEmpty(spec, "circuitBreaker", write(s.circuitBreaker()));
    Trees.putUnlessEmpty(spec, "outlierDetection", write(s.outlierDetection()));
    Trees.putUnlessEmpty(spec, "healthCheck", write(s.healthCheck()));
    return spec;
  }

  private static ObjectNode write(LoadBalancer lb) {
    ObjectNode out = Trees.object();
    if (lb.policy() != LoadBalancer.DEFAULT.policy()) {
      out.put("policy", lb.policy().name());
    }
    if (!lb.hashHeader().isEmpty()) {
      out.put("hashHeader", lb.hashHeader());
    }
    if (lb.tableSize() != LoadBalancer.DEFAULT.tableSize()) {
      out.put("tableSize", lb.tableSize());
    }
    if (lb.localityAware() != LoadBalancer.DEFAULT.localityAware()) {
      out.put("localityAware", lb.localityAware());
    }
    return out;
  }

  private static ObjectNode write(ConnectionPool pool) {
    ConnectionPool d = ConnectionPool.DEFAULT;
    ObjectNode out = Trees.object();
    if (!pool.connectTimeout().equals(d.connectTimeout())) {
      out.set("connectTimeout", Trees.duration(pool.connectTimeout()));
    }
    if (!pool.idleTimeout().equals(d.idleTimeout())) {
      out.set("idleTimeout", Trees.duration(pool.idleTimeout()));
    }
    putIfNot(
        out,
        "maxRequestsPerConnection",
        pool.maxRequestsPerConnection(),
        d.maxRequestsPerConnection());
    return out;
  }

  private static ObjectNode write(CircuitBreaker cb) {
    CircuitBreaker d = CircuitBreaker.DEFAULT;
    ObjectNode out = Trees.object();
    putIfNot(out, "maxConnections", cb.maxConnections(), d.maxConnections());
    putIfNot(out, "maxPendingRequests", cb.maxPendingRequests(), d.maxPendingRequests());
    putIfNot(out, "maxRequests", cb.maxRequests(), d.maxRequests());
    putIfNot(out, "maxRetries", cb.maxRetries(), d.maxRetries());
    if (cb.retryBudget().enabled()) {
      ObjectNode budget = out.putObject("retryBudget");
      budget.set("percent", Trees.percent(cb.retryBudget().percent()));
      putIfNot(
          budget,
          "minRetryConcurrency",
          cb.retryBudget().minRetryConcurrency(),
          RetryBudget.NONE.minRetryConcurrency());
    }
    return out;
  }

  private static ObjectNode write(OutlierDetection od) {
    OutlierDetection d = OutlierDetection.DEFAULT;
    ObjectNode out = Trees.object();
    putIfNot(out, "consecutive5xx", od.consecutive5xx(), d.consecutive5xx());
    putIfNot(
        out,
        "consecutiveGatewayErrors",
        od.consecutiveGatewayErrors(),
        d.consecutiveGatewayErrors());
    if (!od.interval().equals(d.interval())) {
      out.set("interval", Trees.duration(od.interval()));
    }
    if (!od.baseEjectionTime().equals(d.baseEjectionTime())) {
      out.set("baseEjectionTime", Trees.duration(od.baseEjectionTime()));
    }
    putIfNot(out, "maxEjectionPercent", od.maxEjectionPercent(), d.maxEjectionPercent());
    return out;
  }

  private static ObjectNode write(HealthCheck hc) {
    HealthCheck d = HealthCheck.DEFAULT;
    ObjectNode out = Trees.object();
    if (hc.type() != d.type()) {
      out.put("type", hc.type().name());
    }
    if (!hc.path().isEmpty()) {
      out.put("path", hc.path());
    }
    if (!hc.interval().equals(d.interval())) {
      out.set("interval", Trees.duration(hc.interval()));
    }
    if (!hc.timeout().equals(d.timeout())) {
      out.set("timeout", Trees.duration(hc.timeout()));
    }
    putIfNot(out, "unhealthyThreshold", hc.unhealthyThreshold(), d.unhealthyThreshold());
    putIfNot(out, "healthyThreshold", hc.healthyThreshold(), d.healthyThreshold());
    return out;
  }

  private static void putIfNot(ObjectNode out, String key, int value, int defaultValue) {
    if (value != defaultValue) {
      out.put(key, value);
    }
  }
}
