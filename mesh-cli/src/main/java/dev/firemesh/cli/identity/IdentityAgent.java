package dev.firemesh.cli.identity;

import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.cli.client.AdminCallException;
import dev.firemesh.cli.client.AdminHttp;
import dev.firemesh.cli.client.PlainJson;
import dev.firemesh.identity.CertificateRequests;
import dev.firemesh.identity.KeyPairs;
import dev.firemesh.identity.Pem;
import dev.firemesh.identity.PossessionProof;
import dev.firemesh.identity.WorkloadCredentials;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workload's side of mesh identity. It generates the workload's key pair (the private key never
 * leaves this process), has the control plane sign a CSR for the workload's SPIFFE ID, proving who
 * it is with an operator's join token the first time and with its current certificate and key
 * afterwards, and renews on a virtual thread at the time the control plane suggests (half the
 * lifetime, with jitter so a fleet started together does not renew together). Each renewal brings a
 * new key pair and the current trust bundle, which is how a new root reaches every workload.
 *
 * <p>Fail static: if the control plane cannot be reached, the current certificate keeps serving and
 * renewal is retried with back-off until it expires.
 */
public final class IdentityAgent implements AutoCloseable {
  static final String SVID_PATH = "/v1/svid";
  private static final Duration RETRY_MIN = Duration.ofSeconds(1);
  private static final Duration RETRY_MAX = Duration.ofSeconds(30);
  private static final Logger log = LoggerFactory.getLogger(IdentityAgent.class);

  private final AdminHttp controlPlane;
  private final Clock clock;
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile Issued current;
  private Thread renewal;

  /** Credentials as issued, with the time the control plane suggests renewing them. */
  public record Issued(WorkloadCredentials credentials, Instant renewAfter) {}

  private IdentityAgent(AdminHttp controlPlane, Clock clock, Issued first) {
    this.controlPlane = controlPlane;
    this.clock = clock;
    this.current = first;
  }

  /**
   * Enrols the workload: a new key pair, a CSR for {@code identity}, signed by the control plane on
   * the strength of {@code joinToken}.
   *
   * @throws AdminCallException if the control plane refuses (bad, expired or used-up token; an
   *     identity the token is not for) or cannot be reached
   */
  public static IdentityAgent enrol(
      AdminHttp controlPlane, SpiffeId identity, String joinToken, Clock clock) {
    KeyPair keys = KeyPairs.generate();
    byte[] csr = CertificateRequests.create(keys, identity);
    Issued first =
        issue(controlPlane, identity, keys.getPrivate(), csr, Map.of(), "JoinToken " + joinToken);
    log.info(
        "identity {} issued, serial {}, valid until {}",
        identity,
        first.credentials().leaf().getSerialNumber().toString(16),
        first.credentials().notAfter());
    return new IdentityAgent(controlPlane, clock, first);
  }

  /**
   * The mesh's trust domain, which the control plane states openly ({@code GET /v1/trust-domain}):
   * the workload spells its SPIFFE ID with it.
   *
   * @throws AdminCallException if the control plane cannot be reached or refuses
   */
  public static String trustDomain(AdminHttp controlPlane) {
    byte[] answer = controlPlane.call("GET", "/v1/trust-domain", null);
    return text(PlainJson.parse(new String(answer, StandardCharsets.UTF_8)), "trustDomain");
  }

  public WorkloadCredentials credentials() {
    return current.credentials();
  }

  /**
   * Renews in the background from now on, handing every new credential to {@code renewed} (which
   * must not block for long: the sidecar swaps its TLS contexts).
   */
  public void start(Consumer<WorkloadCredentials> renewed) {
    renewal =
        Thread.ofVirtual()
            .name("identity-renewal")
            .start(
                () -> {
                  try {
                    renewLoop(renewed);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
  }

  private void renewLoop(Consumer<WorkloadCredentials> renewed) throws InterruptedException {
    Duration retry = RETRY_MIN;
    while (true) {
      Issued now = current;
      Duration wait = jittered(Duration.between(clock.instant(), now.renewAfter()));
      if (closing.await(Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS)) {
        return;
      }
      try {
        Issued next = renew(controlPlane, now);
        current = next;
        renewed.accept(next.credentials());
        retry = RETRY_MIN;
        log.info(
            "identity {} renewed, serial {}, valid until {}",
            next.credentials().identity(),
            next.credentials().leaf().getSerialNumber().toString(16),
            next.credentials().notAfter());
      } catch (AdminCallException | IllegalStateException e) {
        boolean expired = !clock.instant().isBefore(now.credentials().notAfter());
        if (expired) {
          log.error(
              "identity {} EXPIRED at {} and cannot be renewed: {}; peers refuse this sidecar"
                  + " until it is",
              now.credentials().identity(),
              now.credentials().notAfter(),
              e.getMessage());
        } else {
          log.warn(
              "cannot renew identity {} (valid until {}): {}; retrying in {} s",
              now.credentials().identity(),
              now.credentials().notAfter(),
              e.getMessage(),
              retry.toSeconds());
        }
        if (closing.await(retry.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
        retry = retry.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : retry.multipliedBy(2);
        // Try again at once after the back-off, not at the next renewAfter.
        current = new Issued(now.credentials(), clock.instant());
      }
    }
  }

  /** Up to a tenth earlier, so that sidecars started together spread their renewals. */
  private static Duration jittered(Duration wait) {
    if (wait.isNegative() || wait.isZero()) {
      return Duration.ZERO;
    }
    long tenth = wait.toMillis() / 10;
    return wait.minusMillis(tenth == 0 ? 0 : ThreadLocalRandom.current().nextLong(tenth));
  }

  /**
   * Renews {@code current}: a new key pair, a CSR signed with it, and a proof that this workload
   * holds the current key (the current key's signature over the new CSR).
   */
  static Issued renew(AdminHttp controlPlane, Issued current) {
    WorkloadCredentials old = current.credentials();
    KeyPair keys = KeyPairs.generate();
    byte[] csr = CertificateRequests.create(keys, old.identity());
    String proof = Base64.getEncoder().encodeToString(PossessionProof.sign(old.privateKey(), csr));
    String leaf;
    try {
      leaf = Base64.getEncoder().encodeToString(old.leaf().getEncoded());
    } catch (CertificateException e) {
      throw new IllegalStateException("the current certificate cannot be encoded", e);
    }
    return issue(
        controlPlane,
        old.identity(),
        keys.getPrivate(),
        csr,
        Map.of("proof", proof),
        "Svid " + leaf);
  }

  private static Issued issue(
      AdminHttp controlPlane,
      SpiffeId identity,
      PrivateKey key,
      byte[] csr,
      Map<String, String> extra,
      String authorization) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("csr", Pem.encodeCertificateRequest(csr));
    request.putAll(extra);
    byte[] answer =
        controlPlane.call(
            "POST",
            SVID_PATH,
            PlainJson.compact(request).getBytes(StandardCharsets.UTF_8),
            authorization);
    Object json = PlainJson.parse(new String(answer, StandardCharsets.UTF_8));
    List<X509Certificate> chain = certificates(text(json, "certificateChain"));
    List<X509Certificate> bundle = certificates(text(json, "trustBundle"));
    Instant renewAfter;
    try {
      renewAfter = Instant.parse(text(json, "renewAfter"));
    } catch (DateTimeParseException e) {
      throw new IllegalStateException("the control plane's renewAfter is not an instant", e);
    }
    return new Issued(new WorkloadCredentials(identity, key, chain, bundle), renewAfter);
  }

  private static String text(Object json, String field) {
    if (PlainJson.member(json, field) instanceof String value) {
      return value;
    }
    throw new IllegalStateException("the control plane's answer has no " + field);
  }

  private static List<X509Certificate> certificates(String pem) {
    try {
      return Pem.decodeCertificates(pem);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("the control plane sent certificates that do not parse", e);
    }
  }

  @Override
  public void close() {
    closing.countDown();
    if (renewal != null) {
      try {
        renewal.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
