package dev.firemesh.traffic.health;

import dev.firemesh.traffic.config.ClusterConfig.HealthCheck;
import dev.firemesh.traffic.config.ClusterConfig.OutlierDetection;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The health of one endpoint ({@code host:port}) of one cluster: what outlier detection has learnt
 * from its requests and what its active health checks say. One instance lives as long as the
 * endpoint stays in its cluster, across configuration updates.
 *
 * <p>{@link #record} is the hot path: any thread, lock-free, allocation-free. The rest is written
 * by the cluster's writer ({@link ClusterHealth}) and read by anyone (fields are volatile so that
 * reports see them).
 */
public final class EndpointHealth {
  private static final VarHandle DUE;

  static {
    try {
      DUE = MethodHandles.lookup().findVarHandle(EndpointHealth.class, "due", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Requests in the high half of {@link #interval}, failures in the low half. */
  private static final long REQUEST = 1L << 32;

  private static final long FAILURE_MASK = REQUEST - 1;

  private final String hostPort;
  private final ClusterHealth cluster;

  // Written by request threads.
  private final AtomicInteger consecutive5xx = new AtomicInteger();
  private final AtomicInteger consecutiveGatewayErrors = new AtomicInteger();
  private final AtomicLong interval = new AtomicLong();

  @SuppressWarnings("unused") // through DUE: the reasons whose threshold was crossed
  private volatile int due;

  // Written by the writer only.
  private volatile Instant ejectedUntil; // null while not ejected
  private volatile EjectionReason lastReason; // null until first ejected
  private volatile int ejectionMultiplier;
  private volatile long ejections;
  private volatile boolean checkPassing = true;
  private volatile int checksInARow; // passes while failing, failures while passing

  EndpointHealth(String hostPort, ClusterHealth cluster) {
    this.hostPort = hostPort;
    this.cluster = cluster;
  }

  /**
   * The health of an endpoint outside any cluster (a balancer used on its own): no outlier
   * detection, no checks, always healthy.
   */
  public static EndpointHealth detached(String hostPort) {
    return new EndpointHealth(hostPort, ClusterHealth.detached());
  }

  public String hostPort() {
    return hostPort;
  }

  /**
   * Learns from one try's outcome: a server error is any 5xx or no answer at all, a gateway error
   * 502, 503, 504 or no answer. Crossing a consecutive-error threshold signals the cluster's
   * writer.
   */
  public void record(boolean serverError, boolean gatewayError) {
    OutlierDetection detection = cluster.detection();
    if (!detection.enabled()) {
      return;
    }
    if (detection.successRate().enabled()) {
      interval.getAndAdd(serverError ? REQUEST + 1 : REQUEST);
    }
    if (!serverError) {
      reset(consecutive5xx);
      reset(consecutiveGatewayErrors);
      return;
    }
    int gatewayThreshold = detection.consecutiveGatewayErrors();
    if (!gatewayError) {
      reset(consecutiveGatewayErrors);
    } else if (gatewayThreshold > 0
        && consecutiveGatewayErrors.incrementAndGet() == gatewayThreshold) {
      signal(EjectionReason.CONSECUTIVE_GATEWAY_ERRORS);
    }
    int threshold = detection.consecutive5xx();
    if (threshold > 0 && consecutive5xx.incrementAndGet() == threshold) {
      signal(EjectionReason.CONSECUTIVE_5XX);
    }
  }

  private static void reset(AtomicInteger counter) {
    if (counter.get() != 0) { // no write, hence no cache-line traffic, while all is well
      counter.set(0);
    }
  }

  private void signal(EjectionReason reason) {
    DUE.getAndBitwiseOr(this, reason.bit());
    cluster.signal();
  }

  /** Whether requests should go here: not ejected and not failing its active health check. */
  public boolean healthy() {
    return ejectedUntil == null && checkPassing;
  }

  public boolean ejected() {
    return ejectedUntil != null;
  }

  /** Until when the endpoint is ejected; empty while it is not. */
  public Optional<Instant> ejectedUntil() {
    return Optional.ofNullable(ejectedUntil);
  }

  /** Why it was last ejected; empty if it never was. */
  public Optional<EjectionReason> lastEjectionReason() {
    return Optional.ofNullable(lastReason);
  }

  /** How many times it has been ejected since it joined the cluster. */
  public long ejections() {
    return ejections;
  }

  /** Whether its active health check currently says it is down. */
  public boolean failingActiveCheck() {
    return !checkPassing;
  }

  // ---- the writer's side ----

  int takeDue() {
    return (int) DUE.getAndSet(this, 0);
  }

  void resetConsecutive(EjectionReason reason) {
    (reason == EjectionReason.CONSECUTIVE_5XX ? consecutive5xx : consecutiveGatewayErrors).set(0);
  }

  /** The interval's requests (high 32 bits) and failures (low 32 bits), starting a new interval. */
  long takeInterval() {
    return interval.getAndSet(0);
  }

  static int requests(long intervalCounts) {
    return (int) (intervalCounts >>> 32);
  }

  static int failures(long intervalCounts) {
    return (int) (intervalCounts & FAILURE_MASK);
  }

  void eject(Instant now, EjectionReason reason, OutlierDetection detection) {
    // The multiplier grows while the ejection time can still grow, as Envoy's does.
    int next = ejectionMultiplier + 1;
    if (detection.baseEjectionTime().multipliedBy(ejectionMultiplier).compareTo(cap(detection))
        < 0) {
      ejectionMultiplier = next;
    }
    ejectedUntil = now.plus(detection.ejectionTime(ejectionMultiplier));
    lastReason = reason;
    ejections++;
  }

  private static java.time.Duration cap(OutlierDetection detection) {
    return detection.maxEjectionTime().compareTo(detection.baseEjectionTime()) > 0
        ? detection.maxEjectionTime()
        : detection.baseEjectionTime();
  }

  /** Ends an ejection whose time is up at {@code now}; true if it did. */
  boolean unejectIfDue(Instant now) {
    Instant until = ejectedUntil;
    if (until == null || now.isBefore(until)) {
      return false;
    }
    ejectedUntil = null;
    return true;
  }

  /** One interval in service: the next ejection will be shorter. */
  void decay() {
    if (ejectedUntil == null && ejectionMultiplier > 0) {
      ejectionMultiplier--;
    }
  }

  /** Forgets outlier detection's verdict (detection was turned off). */
  void clearEjection() {
    ejectedUntil = null;
    ejectionMultiplier = 0;
    consecutive5xx.set(0);
    consecutiveGatewayErrors.set(0);
    interval.set(0);
    takeDue();
  }

  /** Applies one active check's result; true if the endpoint changed between up and down. */
  boolean applyCheck(boolean passed, HealthCheck check) {
    if (passed == checkPassing) {
      checksInARow = 0;
      return false;
    }
    int inARow = checksInARow + 1;
    if (inARow >= (passed ? check.healthyThreshold() : check.unhealthyThreshold())) {
      checkPassing = passed;
      checksInARow = 0;
      return true;
    }
    checksInARow = inARow;
    return false;
  }

  /** Forgets the active check's verdict (checks were turned off). */
  void clearCheck() {
    checkPassing = true;
    checksInARow = 0;
  }

  @Override
  public String toString() {
    return hostPort
        + (ejectedUntil != null ? " ejected until " + ejectedUntil : "")
        + (checkPassing ? "" : " failing its health check");
  }
}
