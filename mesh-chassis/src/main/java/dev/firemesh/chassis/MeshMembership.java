package dev.firemesh.chassis;

import dev.firemesh.chassis.health.HealthCheck;
import dev.firemesh.identity.WorkloadCredentials;
import dev.firemesh.identity.WorkloadSslContext;
import dev.firemesh.workload.admin.AdminCallException;
import dev.firemesh.workload.admin.AdminHttp;
import dev.firemesh.workload.identity.Enrolment;
import dev.firemesh.workload.identity.IdentityAgent;
import dev.firemesh.workload.registry.InstanceLease;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's place in the mesh: its workload identity (enrolled with a join token, the key made
 * here and never sent; renewed in the background) and, once it serves, its registration under a
 * lease at the address callers reach it by.
 */
final class MeshMembership implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MeshMembership.class);

  private final IdentityAgent identity;
  private final URI controlPlane;
  private volatile Optional<InstanceLease> lease = Optional.empty();

  private MeshMembership(IdentityAgent identity, URI controlPlane) {
    this.identity = identity;
    this.controlPlane = controlPlane;
  }

  /**
   * Enrols the service.
   *
   * @throws ChassisStartException naming the control plane and why no identity could be had
   */
  static MeshMembership enrol(
      ChassisSettings settings,
      URI controlPlane,
      Path trustBundle,
      String joinToken,
      Duration patience) {
    IdentityAgent agent;
    try {
      agent =
          Enrolment.enrol(
              controlPlane,
              trustBundle,
              settings.service(),
              settings.environment(),
              joinToken,
              patience);
    } catch (IOException e) {
      throw new ChassisStartException(
          "cannot start "
              + settings.service()
              + ": cannot read the control plane's trust bundle "
              + trustBundle
              + ": "
              + e.getMessage(),
          e);
    } catch (AdminCallException | IllegalArgumentException e) {
      throw new ChassisStartException(
          "cannot start "
              + settings.service()
              + ": no workload identity from the control plane at "
              + controlPlane
              + ": "
              + e.getMessage(),
          e);
    }
    agent.start(renewed -> log.info("identity renewed, valid until {}", renewed.notAfter()));
    return new MeshMembership(agent, controlPlane);
  }

  WorkloadCredentials credentials() {
    return identity.credentials();
  }

  /**
   * A TLS context presenting the current SVID and trusting the current bundle, renewals included.
   */
  SSLContext tls() {
    return WorkloadSslContext.following(identity::credentials);
  }

  /** The admin API, reached with the SVID. */
  AdminHttp controlPlane() {
    return identity.controlPlane();
  }

  URI controlPlaneUri() {
    return controlPlane;
  }

  /**
   * Registers the instance at {@code address}.
   *
   * @throws ChassisStartException if the control plane refuses
   */
  void register(
      ChassisSettings settings,
      InetSocketAddress address,
      Duration ttl,
      Map<String, String> extraLabels) {
    Map<String, String> labels = new LinkedHashMap<>(extraLabels);
    labels.put(InstanceLease.ENV_LABEL, settings.environment());
    labels.put(InstanceLease.IDENTITY_LABEL, credentials().identity().toString());
    if (!settings.region().isEmpty()) {
      labels.putIfAbsent("region", settings.region());
    }
    if (!settings.zone().isEmpty()) {
      labels.putIfAbsent("zone", settings.zone());
    }
    try {
      lease =
          Optional.of(
              InstanceLease.register(
                  controlPlane(), settings.service(), settings.instanceId(), address, ttl, labels));
    } catch (AdminCallException e) {
      throw new ChassisStartException(
          "cannot start "
              + settings.service()
              + ": the control plane refused to register instance "
              + settings.instanceId()
              + " at "
              + address.getHostString()
              + ":"
              + address.getPort()
              + ": "
              + e.getMessage(),
          e);
    }
    log.info(
        "registered instance={} at {}:{} lease={}",
        settings.instanceId(),
        address.getHostString(),
        address.getPort(),
        ttl);
  }

  /** Leaves discovery: callers' sidecars stop sending here on the next push. */
  void deregister() {
    Optional<InstanceLease> held = lease;
    lease = Optional.empty();
    held.ifPresent(
        l -> {
          try {
            l.release();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (RuntimeException e) {
            log.warn("deregistering failed (the lease lapses by itself): {}", e.toString());
          }
        });
  }

  /** Up while the certificate is valid; down once it has expired (renewal kept failing). */
  HealthCheck identityHealth() {
    return () -> {
      Instant notAfter = credentials().notAfter();
      return Instant.now().isBefore(notAfter)
          ? HealthCheck.Status.UP
          : HealthCheck.Status.down("the workload certificate expired at " + notAfter);
    };
  }

  @Override
  public void close() {
    deregister();
    identity.close();
  }

  @Override
  public String toString() {
    return "mesh membership via " + controlPlane;
  }
}
