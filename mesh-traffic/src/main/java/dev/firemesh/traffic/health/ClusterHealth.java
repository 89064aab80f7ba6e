package dev.firemesh.traffic.health;

import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.ClusterConfig.HealthCheck;
import dev.firemesh.traffic.config.ClusterConfig.OutlierDetection;
import dev.firemesh.traffic.config.ClusterConfig.SuccessRate;
import dev.firemesh.traffic.config.Endpoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The health of a cluster's endpoints: outlier detection's ejections and the active checks'
 * verdicts, with the counters reports show. One instance per cluster, carried across configuration
 * updates.
 *
 * <p>Single writer: {@link #reconcile}, {@link #evaluate} and {@link #recordCheck} are called by
 * one thread at a time (the router serializes them), with the time passed in. Request threads only
 * call {@link EndpointHealth#record}, which ends here in {@link #signal} when a threshold is
 * crossed.
 *
 * <p>Envoy's rules, with two choices of ours: an endpoint new to the cluster is presumed healthy
 * until its checks say otherwise (the registry lists only instances whose sidecar is up), and a
 * passing active check does not end an ejection early (a health endpoint that answers says little
 * about a request path that fails or is slow).
 */
public final class ClusterHealth {
  private final Runnable signal;
  private final AtomicBoolean due = new AtomicBoolean();
  private final AtomicLongArray ejections = new AtomicLongArray(EjectionReason.values().length);
  private final AtomicLong checksPassed = new AtomicLong();
  private final AtomicLong checksFailed = new AtomicLong();

  private volatile OutlierDetection detection = OutlierDetection.DISABLED;
  private volatile HealthCheck check = HealthCheck.DISABLED;
  private volatile Map<String, EndpointHealth> endpoints = Map.of();
  private Instant nextSweep; // the writer's; null: armed at the next evaluation

  private ClusterHealth(Runnable signal) {
    this.signal = Objects.requireNonNull(signal, "signal");
  }

  /**
   * The health of a cluster seen for the first time. {@code signal} is called, on a request thread,
   * when an endpoint crosses a consecutive-error threshold: it should make the writer {@link
   * #evaluate} soon, and must not block.
   */
  public static ClusterHealth create(ClusterConfig config, Runnable signal) {
    ClusterHealth health = new ClusterHealth(signal);
    health.reconcile(config);
    return health;
  }

  /** A cluster of no configuration: detection and checks off. */
  static ClusterHealth detached() {
    return new ClusterHealth(() -> {});
  }

  /**
   * Takes the cluster's new configuration: endpoints that stay keep their health, new ones start
   * healthy, and a detector or check turned off forgets its verdicts. Writer only.
   */
  public void reconcile(ClusterConfig config) {
    OutlierDetection nextDetection = config.outlierDetection();
    HealthCheck nextCheck = config.healthCheck();
    Map<String, EndpointHealth> previous = endpoints;
    Map<String, EndpointHealth> next = HashMap.newHashMap(config.endpoints().size());
    for (Endpoint endpoint : config.endpoints()) {
      next.computeIfAbsent(
          endpoint.hostPort(),
          hostPort -> {
            EndpointHealth surviving = previous.get(hostPort);
            return surviving != null ? surviving : new EndpointHealth(hostPort, this);
          });
    }
    if (!nextDetection.enabled()) {
      next.values().forEach(EndpointHealth::clearEjection);
    }
    if (!nextCheck.enabled()) {
      next.values().forEach(EndpointHealth::clearCheck);
    }
    if (!nextDetection.interval().equals(detection.interval())) {
      nextSweep = null;
    }
    detection = nextDetection;
    check = nextCheck;
    endpoints = Map.copyOf(next);
  }

  /** The health of endpoint {@code hostPort}; it must be one of the cluster's. */
  public EndpointHealth endpoint(String hostPort) {
    EndpointHealth health = endpoints.get(hostPort);
    if (health == null) {
      throw new IllegalArgumentException(hostPort + " is not an endpoint of this cluster");
    }
    return health;
  }

  /** The health of endpoint {@code hostPort}, if it is one of the cluster's. */
  public java.util.Optional<EndpointHealth> find(String hostPort) {
    return java.util.Optional.ofNullable(endpoints.get(hostPort));
  }

  public Collection<EndpointHealth> endpoints() {
    return endpoints.values();
  }

  OutlierDetection detection() {
    return detection;
  }

  /** From a request thread: a threshold was crossed. */
  void signal() {
    due.set(true);
    signal.run();
  }

  /**
   * Does what is due at {@code now}: ejects endpoints that crossed a consecutive-error threshold
   * (within the cap), and once per interval returns endpoints whose ejection is over, shortens the
   * next ejection of those that stayed in, and runs the success-rate sweep. Returns whether any
   * endpoint became healthy or unhealthy. Writer only.
   */
  public boolean evaluate(Instant now) {
    OutlierDetection d = detection;
    if (!d.enabled()) {
      return false;
    }
    Collection<EndpointHealth> all = endpoints.values();
    boolean changed = false;
    if (due.getAndSet(false)) {
      for (EndpointHealth endpoint : all) {
        int reasons = endpoint.takeDue();
        for (EjectionReason reason : EjectionReason.values()) {
          if ((reasons & reason.bit()) != 0) {
            changed |= ejectWithinCap(endpoint, reason, now, d, all);
            // As Envoy: counting starts again, whether or not the cap allowed the ejection.
            endpoint.resetConsecutive(reason);
          }
        }
      }
    }
    if (nextSweep == null) {
      nextSweep = now.plus(d.interval());
    } else if (!now.isBefore(nextSweep)) {
      nextSweep = now.plus(d.interval());
      for (EndpointHealth endpoint : all) {
        if (endpoint.unejectIfDue(now)) {
          changed = true;
        } else {
          endpoint.decay();
        }
      }
      changed |= sweepSuccessRates(now, d, all);
    }
    return changed;
  }

  private boolean ejectWithinCap(
      EndpointHealth endpoint,
      EjectionReason reason,
      Instant now,
      OutlierDetection d,
      Collection<EndpointHealth> all) {
    if (endpoint.ejected() || !mayEject(d, all)) {
      return false;
    }
    endpoint.eject(now, reason, d);
    ejections.incrementAndGet(reason.ordinal());
    return true;
  }

  /**
   * Envoy's cap: the first ejection is always allowed; another only if the ejected share, counting
   * it, stays within {@code maxEjectionPercent}.
   */
  private static boolean mayEject(OutlierDetection d, Collection<EndpointHealth> all) {
    int ejected = 0;
    for (EndpointHealth endpoint : all) {
      if (endpoint.ejected()) {
        ejected++;
      }
    }
    return ejected == 0 || 100.0 * (ejected + 1) / all.size() <= d.maxEjectionPercent();
  }

  /**
   * Envoy's success-rate detector: over the endpoints with enough requests in the interval, if
   * there are enough of them, eject those below mean - stdevFactor * stdev (population deviation).
   */
  private boolean sweepSuccessRates(
      Instant now, OutlierDetection d, Collection<EndpointHealth> all) {
    SuccessRate rule = d.successRate();
    List<EndpointHealth> measured = new ArrayList<>();
    List<Double> rates = new ArrayList<>();
    for (EndpointHealth endpoint : all) {
      long counts = endpoint.takeInterval();
      int requests = EndpointHealth.requests(counts);
      if (rule.enabled() && requests >= rule.requestVolume()) {
        measured.add(endpoint);
        rates.add(100.0 * (requests - EndpointHealth.failures(counts)) / requests);
      }
    }
    if (!rule.enabled() || measured.size() < rule.minimumHosts()) {
      return false;
    }
    double mean = 0;
    for (double rate : rates) {
      mean += rate;
    }
    mean /= rates.size();
    double variance = 0;
    for (double rate : rates) {
      variance += (rate - mean) * (rate - mean);
    }
    double threshold = mean - rule.stdevFactor() * Math.sqrt(variance / rates.size());
    boolean changed = false;
    for (int i = 0; i < measured.size(); i++) {
      if (rates.get(i) < threshold) {
        changed |= ejectWithinCap(measured.get(i), EjectionReason.SUCCESS_RATE, now, d, all);
      }
    }
    return changed;
  }

  /**
   * Applies one active health check result for {@code hostPort}; returns whether the endpoint
   * changed between up and down. Results for endpoints no longer in the cluster, or arriving after
   * checks were turned off, are ignored. Writer only.
   */
  public boolean recordCheck(String hostPort, boolean passed) {
    HealthCheck current = check;
    EndpointHealth endpoint = endpoints.get(hostPort);
    if (endpoint == null || !current.enabled()) {
      return false;
    }
    (passed ? checksPassed : checksFailed).incrementAndGet();
    return endpoint.applyCheck(passed, current);
  }

  /** Ejections since the cluster appeared, for {@code reason}. */
  public long ejections(EjectionReason reason) {
    return ejections.get(reason.ordinal());
  }

  public long checksPassed() {
    return checksPassed.get();
  }

  public long checksFailed() {
    return checksFailed.get();
  }

  /** Endpoints (distinct addresses) neither ejected nor failing their check. */
  public int healthyCount() {
    int healthy = 0;
    for (EndpointHealth endpoint : endpoints.values()) {
      if (endpoint.healthy()) {
        healthy++;
      }
    }
    return healthy;
  }

  /** Endpoints (distinct addresses) ejected by outlier detection now. */
  public int ejectedCount() {
    int ejected = 0;
    for (EndpointHealth endpoint : endpoints.values()) {
      if (endpoint.ejected()) {
        ejected++;
      }
    }
    return ejected;
  }
}
