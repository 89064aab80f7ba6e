package dev.firemesh.workload.registry;

import dev.firemesh.api.codec.Durations;
import dev.firemesh.workload.admin.AdminCallException;
import dev.firemesh.workload.admin.AdminHttp;
import dev.firemesh.workload.admin.PlainJson;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An instance's registration in the mesh: registered at an address (its sidecar's inbound one, or
 * its own when it stands alone) under a lease, renewed every third of it on a virtual thread (a
 * lapsed lease is registered again), until {@link #release()} deregisters it. While registered, the
 * instance is an endpoint: callers' sidecars send it requests.
 *
 * <p>{@code admin} is the admin API as the workload reaches it: with its SVID ({@code
 * IdentityAgent.controlPlane()}; the control plane then allows only its own service's instances),
 * or with an operator's token.
 */
public final class InstanceLease {
  /** The label naming the instance's environment, as every workload registers it. */
  public static final String ENV_LABEL = "env";

  /**
   * The label naming the SPIFFE ID the instance proves: callers' sidecars insist on meeting exactly
   * that identity at its endpoint.
   */
  public static final String IDENTITY_LABEL = "identity";

  private static final Duration RENEWAL_STOP_WAIT = Duration.ofSeconds(5);
  private static final Logger log = LoggerFactory.getLogger(InstanceLease.class);

  private final AdminHttp admin;
  private final String service;
  private final String id;
  private final Duration ttl;
  private final byte[] registration;
  private final CountDownLatch leaving = new CountDownLatch(1);
  private Thread renewal;

  private InstanceLease(
      AdminHttp admin,
      String service,
      String id,
      InetSocketAddress address,
      Duration ttl,
      Map<String, String> labels) {
    this.admin = admin;
    this.service = service;
    this.id = id;
    this.ttl = ttl;
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("service", service);
    fields.put("instanceId", id);
    fields.put("address", address.getAddress().getHostAddress());
    fields.put("port", address.getPort());
    fields.put("ttlSeconds", ttl.toSeconds());
    fields.put("labels", labels);
    // Hand-written JSON, not Jackson: a sidecar's process must not load it.
    this.registration = PlainJson.compact(fields).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Registers the instance and keeps its lease.
   *
   * @param service the service it is an instance of
   * @param id its instance id, unique within the service
   * @param address where callers' sidecars reach it
   * @param ttl the lease, in whole seconds; renewed every third of it
   * @param labels its labels (by convention {@code env}, and {@code identity}, its SPIFFE ID, which
   *     callers' sidecars then insist on meeting at this endpoint)
   * @throws AdminCallException if the control plane refuses or cannot be reached; nothing keeps
   *     running then
   */
  public static InstanceLease register(
      AdminHttp admin,
      String service,
      String id,
      InetSocketAddress address,
      Duration ttl,
      Map<String, String> labels)
      throws AdminCallException {
    InstanceLease lease = new InstanceLease(admin, service, id, address, ttl, labels);
    admin.call("POST", "/v1/instances", lease.registration);
    lease.renewal = Thread.ofVirtual().name("lease-renewal").start(lease::renew);
    return lease;
  }

  /**
   * Registers the instance now if the control plane answers, and otherwise at the next renewal: for
   * a supervisor whose app is up and must not be stopped because the control plane is away for a
   * moment.
   */
  public static InstanceLease registerOrRetry(
      AdminHttp admin,
      String service,
      String id,
      InetSocketAddress address,
      Duration ttl,
      Map<String, String> labels) {
    InstanceLease lease = new InstanceLease(admin, service, id, address, ttl, labels);
    try {
      admin.call("POST", "/v1/instances", lease.registration);
      log.info("registered {}/{} lease={}", service, id, Durations.format(ttl));
    } catch (AdminCallException e) {
      log.warn(
          "cannot register {}/{} yet, retrying every {}: {}",
          service,
          id,
          ttl.dividedBy(3),
          e.getMessage());
    }
    lease.renewal = Thread.ofVirtual().name("lease-renewal").start(lease::renew);
    return lease;
  }

  /**
   * Stops renewing, then deregisters: callers' sidecars stop sending here once the control plane's
   * push reaches them. A failed deregistration is logged; the lease then lapses within its TTL.
   */
  public void release() throws InterruptedException {
    // The renewal ends first, its call in flight included, or it could register us again.
    leaving.countDown();
    if (!renewal.join(RENEWAL_STOP_WAIT)) {
      log.warn("a lease renewal is still waiting on the control plane; deregistering anyway");
    }
    try {
      admin.call(
          "DELETE",
          "/v1/instances/" + AdminHttp.encode(service) + "/" + AdminHttp.encode(id),
          null);
      log.info("deregistered {}/{}", service, id);
    } catch (AdminCallException e) {
      log.warn("deregistration failed; the lease lapses within {}: {}", ttl, e.getMessage());
    }
  }

  /**
   * Renews the lease every third of it until {@code leaving}; a lapsed one is registered again.
   * Stopped by the latch, never by an interrupt: an interrupted call may still reach the control
   * plane after the deregistration and register a leaving instance again.
   */
  private void renew() {
    String lease =
        "/v1/instances/" + AdminHttp.encode(service) + "/" + AdminHttp.encode(id) + "/lease";
    byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
    while (true) {
      try {
        if (leaving.await(ttl.dividedBy(3).toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      }
      try {
        admin.call("PUT", lease, empty);
      } catch (AdminCallException e) {
        try {
          // Lapsed (the control plane was away longer than the lease): register again.
          admin.call("POST", "/v1/instances", registration);
        } catch (AdminCallException again) {
          log.warn("lease renewal failed, retrying: {}", again.getMessage());
        }
      }
    }
  }
}
