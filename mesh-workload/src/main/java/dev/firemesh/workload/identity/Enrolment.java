package dev.firemesh.workload.identity;

import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.workload.admin.AdminCallException;
import dev.firemesh.workload.admin.AdminHttp;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A workload's enrolment with a join token: its SPIFFE ID spelt in the trust domain the control
 * plane states, a key pair made here and a CSR the control plane signs on the strength of the
 * token. A control plane that cannot be reached yet (started at the same time as the workload) is
 * waited for a while; a refusal is final.
 */
public final class Enrolment {
  /** How long an unreachable control plane is waited for. */
  public static final Duration PATIENCE = Duration.ofSeconds(30);

  private static final Duration RETRY_EVERY = Duration.ofMillis(500);
  private static final Logger log = LoggerFactory.getLogger(Enrolment.class);

  private Enrolment() {}

  /**
   * Enrols {@code service} in {@code env} through the admin API at {@code controlPlane}, trusting
   * the roots in {@code trustBundle} (PEM; read only for {@code https://}).
   *
   * @throws IOException if the trust bundle cannot be read
   * @throws IllegalArgumentException if the trust bundle is not PEM certificates, or {@code
   *     service} or {@code env} is not a DNS label
   * @throws AdminCallException if the control plane refuses (a bad, expired or used-up token; a
   *     token for another service or environment) or was not reached within {@link #PATIENCE}
   */
  public static IdentityAgent enrol(
      URI controlPlane, Path trustBundle, String service, String env, String joinToken)
      throws IOException {
    return enrol(controlPlane, trustBundle, service, env, joinToken, PATIENCE);
  }

  /** As {@link #enrol(URI, Path, String, String, String)}, waiting up to {@code patience}. */
  public static IdentityAgent enrol(
      URI controlPlane,
      Path trustBundle,
      String service,
      String env,
      String joinToken,
      Duration patience)
      throws IOException {
    AdminHttp http = AdminHttp.trusting(controlPlane, trustBundle);
    return patiently(
        "enrol this workload",
        () -> IdentityAgent.enrol(http, identity(http, service, env), joinToken, Clock.systemUTC()),
        patience);
  }

  /**
   * Enrols {@code service} in {@code env} through {@code controlPlane} (which should carry no
   * operator credentials: the join token authenticates).
   *
   * @throws IllegalArgumentException if {@code service} or {@code env} is not a DNS label
   * @throws AdminCallException if the control plane refuses or was not reached within {@link
   *     #PATIENCE}
   */
  public static IdentityAgent enrol(
      AdminHttp controlPlane, String service, String env, String joinToken) {
    return patiently(
        "enrol this workload",
        () ->
            IdentityAgent.enrol(
                controlPlane, identity(controlPlane, service, env), joinToken, Clock.systemUTC()));
  }

  /**
   * The SPIFFE ID of {@code service} in {@code env}, in the trust domain the control plane states.
   *
   * @throws IllegalArgumentException if {@code service} or {@code env} is not a DNS label
   * @throws AdminCallException if the control plane cannot be reached or refuses
   */
  public static SpiffeId identity(AdminHttp controlPlane, String service, String env) {
    return new SpiffeId(IdentityAgent.trustDomain(controlPlane), env, service);
  }

  /**
   * Runs {@code call}, again every half second while the control plane cannot be reached (an {@link
   * AdminCallException} with status 0), for up to {@link #PATIENCE}; {@code what} says in the log
   * what is waiting.
   *
   * @throws AdminCallException the refusal, or the last failure to reach the control plane
   */
  public static <T> T patiently(String what, Supplier<T> call) {
    return patiently(what, call, PATIENCE);
  }

  /** As {@link #patiently(String, Supplier)}, for up to {@code patience}. */
  public static <T> T patiently(String what, Supplier<T> call, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      try {
        return call.get();
      } catch (AdminCallException e) {
        if (e.status() != 0 || System.nanoTime() - deadline >= 0) {
          throw e;
        }
        log.info("waiting for the control plane to {}: {}", what, e.getMessage());
        try {
          Thread.sleep(RETRY_EVERY);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
