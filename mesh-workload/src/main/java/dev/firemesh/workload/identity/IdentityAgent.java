package dev.firemesh.workload.identity;

import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.identity.CertificateRequests;
import dev.firemesh.identity.Fingerprint;
import dev.firemesh.identity.KeyPairs;
import dev.firemesh.identity.Pem;
import dev.firemesh.identity.PossessionProof;
import dev.firemesh.identity.WorkloadCredentials;
import dev.firemesh.workload.admin.AdminCallException;
import dev.firemesh.workload.admin.AdminHttp;
import dev.firemesh.workload.admin.ClientTls;
import dev.firemesh.workload.admin.PlainJson;
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
import java.util.Optional;
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
 * new key pair and the current trust bundle; between renewals a cheap poll (every 15 s by default;
 * the control plane sets the pace) applies a changed bundle at once (a new root reaches the fleet
 * in seconds) and renews early, within a minute, when the intermediate that signed this workload's
 * certificate no longer signs (a CA rotation completes in minutes, not half an SVID lifetime).
 *
 * <p>Fail static: if the control plane cannot be reached, the current certificate and bundle keep
 * serving and renewal is retried with back-off until it expires.
 */
public final class IdentityAgent implements AutoCloseable {
  static final String SVID_PATH = "/v1/svid";
  static final String STATUS_PATH = "/v1/svid/status";
  // Often enough that a new root reaches the fleet in well under a minute; the usual answer is
  // two fingerprints.
  static final Duration POLL_EVERY = Duration.ofSeconds(15);
  // After a new intermediate begins to sign, the fleet renews within this (spread out).
  static final Duration EARLY_RENEWAL_WITHIN = Duration.ofMinutes(1);
  private static final Duration RETRY_MIN = Duration.ofSeconds(1);
  private static final Duration RETRY_MAX = Duration.ofSeconds(30);
  private static final Logger log = LoggerFactory.getLogger(IdentityAgent.class);

  private final AdminHttp controlPlane;
  private final Clock clock;
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile Issued current;
  // The control plane sets the pace in each poll's answer; these hold until the first one.
  private Duration pollEvery = POLL_EVERY;
  private Duration earlyRenewalWithin = EARLY_RENEWAL_WITHIN;
  private Thread renewal;

  /** Credentials as issued, with the time the control plane suggests renewing them. */
  public record Issued(WorkloadCredentials credentials, Instant renewAfter) {}

  private IdentityAgent(AdminHttp enrolledThrough, Clock clock, Issued first) {
    // From now on the control plane is reached trusting the bundle this workload holds, not the
    // file it enrolled with: after a root rotation the admin API's certificate chains to the new
    // root, which only the polled bundle has.
    this.controlPlane =
        new AdminHttp(
            enrolledThrough.base(),
            Optional.empty(),
            Optional.of(ClientTls.following(this::credentials)));
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
   * The control plane this workload enrolled with, reached with its SVID of the moment (renewals
   * and new bundles included) and no bearer token: how it registers its instances and speaks for
   * its own service.
   */
  public AdminHttp controlPlane() {
    return controlPlane;
  }

  /**
   * Renews in the background from now on, and polls the control plane's {@code GET /v1/svid/status}
   * at the pace it sets (15 s by default, with jitter) for a changed trust bundle or a new signing
   * intermediate, handing every new credential to {@code renewed} (which must not block for long:
   * the sidecar swaps its TLS contexts; it may refuse credentials whose chain its bundle does not
   * verify, with an {@link IllegalArgumentException}).
   */
  public void start(Consumer<WorkloadCredentials> renewed) {
    renewal =
        Thread.ofVirtual()
            .name("identity-renewal")
            .start(
                () -> {
                  try {
                    run(renewed);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
  }

  /**
   * One thread owns the credentials: it renews at {@code renewAfter} (or early, when the poll says
   * its issuer no longer signs) and applies a changed bundle at once.
   */
  private void run(Consumer<WorkloadCredentials> renewed) throws InterruptedException {
    Instant renewAt = clock.instant().plus(jittered(untilRenewal(current)));
    Instant pollAt = clock.instant().plus(spread(POLL_EVERY));
    Duration retry = RETRY_MIN;
    boolean pollFailing = false;
    while (true) {
      Instant next = renewAt.isBefore(pollAt) ? renewAt : pollAt;
      long wait = Math.max(0, Duration.between(clock.instant(), next).toMillis());
      if (closing.await(wait, TimeUnit.MILLISECONDS)) {
        return;
      }
      Instant now = clock.instant();
      if (!now.isBefore(renewAt)) {
        Issued before = current;
        try {
          Issued fresh = renew(controlPlane, before);
          renewed.accept(fresh.credentials());
          current = fresh;
          retry = RETRY_MIN;
          renewAt = clock.instant().plus(jittered(untilRenewal(fresh)));
          log.info(
              "identity {} renewed, serial {}, issuer {}, valid until {}",
              fresh.credentials().identity(),
              fresh.credentials().leaf().getSerialNumber().toString(16),
              issuerOf(fresh.credentials()),
              fresh.credentials().notAfter());
        } catch (AdminCallException | IllegalStateException | IllegalArgumentException e) {
          warnRenewalFailed(before, e, retry);
          // Try again after the back-off, not at the next renewAfter.
          renewAt = clock.instant().plus(retry);
          retry =
              retry.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : retry.multipliedBy(2);
        }
        continue;
      }
      pollAt = now.plus(spread(pollEvery));
      try {
        SvidStatus status = poll(controlPlane, current.credentials());
        pollEvery = status.pollEvery().orElse(pollEvery);
        earlyRenewalWithin = status.earlyRenewalWithin().orElse(earlyRenewalWithin);
        if (pollFailing) {
          log.info("control plane reachable again for trust bundle polls");
          pollFailing = false;
        }
        if (status.trustBundle().isPresent() && !applyBundle(status.trustBundle().get(), renewed)) {
          renewAt = now; // the chain does not verify against the new bundle: renew at once
        }
        if (!status.activeIssuer().equals(issuerOf(current.credentials()))
            && renewAt.isAfter(now.plus(earlyRenewalWithin))) {
          renewAt = now.plus(spread(earlyRenewalWithin));
          log.info(
              "identity {}: intermediate {} no longer signs (now {}); renewing early, at {}",
              current.credentials().identity(),
              issuerOf(current.credentials()),
              status.activeIssuer(),
              renewAt);
        }
      } catch (AdminCallException | IllegalStateException e) {
        // Fail static: the bundle and certificate in hand keep serving.
        if (!pollFailing) {
          log.warn(
              "cannot poll the control plane for the trust bundle: {}; keeping the current one",
              e.getMessage());
          pollFailing = true;
        }
      }
    }
  }

  /**
   * The same key and chain with a new trust bundle, applied at once.
   *
   * @return false if the chain does not verify against the new bundle (the sidecar refused it)
   */
  private boolean applyBundle(List<X509Certificate> bundle, Consumer<WorkloadCredentials> renewed) {
    Issued before = current;
    WorkloadCredentials held = before.credentials();
    WorkloadCredentials updated =
        new WorkloadCredentials(held.identity(), held.privateKey(), held.chain(), bundle);
    try {
      renewed.accept(updated);
    } catch (IllegalArgumentException e) {
      log.warn(
          "identity {}: the new trust bundle {} does not verify the current certificate ({});"
              + " renewing now",
          held.identity(),
          Fingerprint.ofBundle(bundle),
          e.getMessage());
      return false;
    }
    current = new Issued(updated, before.renewAfter());
    log.info(
        "identity {}: trust bundle updated to {} ({} roots: {})",
        held.identity(),
        Fingerprint.ofBundle(bundle),
        bundle.size(),
        bundle.stream().map(c -> c.getSubjectX500Principal().getName()).toList());
    return true;
  }

  private void warnRenewalFailed(Issued now, RuntimeException e, Duration retry) {
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
  }

  private Duration untilRenewal(Issued issued) {
    return Duration.between(clock.instant(), issued.renewAfter());
  }

  /** The fingerprint of the intermediate that signed {@code credentials}' leaf. */
  static String issuerOf(WorkloadCredentials credentials) {
    List<X509Certificate> chain = credentials.chain();
    return chain.size() > 1 ? Fingerprint.sha256(chain.get(1)) : "";
  }

  /**
   * What the poll learns.
   *
   * @param trustBundle the bundle, only when it differs from the one held
   * @param activeIssuer the fingerprint of the intermediate that signs now
   * @param pollEvery how often to poll, if the control plane says (it derives the pace from how
   *     fast it wants a new root to reach every workload)
   * @param earlyRenewalWithin over how long to spread an early renewal, if it says
   */
  record SvidStatus(
      Optional<List<X509Certificate>> trustBundle,
      String activeIssuer,
      Optional<Duration> pollEvery,
      Optional<Duration> earlyRenewalWithin) {}

  /** One poll: cheap, as the bundle's text comes only when it changed. */
  static SvidStatus poll(AdminHttp controlPlane, WorkloadCredentials held) {
    String heldBundle = Fingerprint.ofBundle(held.trustBundle());
    byte[] answer =
        controlPlane.call("GET", STATUS_PATH + "?bundle=" + AdminHttp.encode(heldBundle), null);
    Object json = PlainJson.parse(new String(answer, StandardCharsets.UTF_8));
    Optional<List<X509Certificate>> bundle =
        PlainJson.member(json, "trustBundle") instanceof String pem
                && !heldBundle.equals(text(json, "trustBundleFingerprint"))
            ? Optional.of(certificates(pem))
            : Optional.empty();
    return new SvidStatus(
        bundle,
        text(json, "activeIssuer"),
        seconds(json, "pollEverySeconds"),
        seconds(json, "earlyRenewalWithinSeconds"));
  }

  /** A positive whole number of seconds, or nothing (an older control plane, or nonsense). */
  private static Optional<Duration> seconds(Object json, String name) {
    return PlainJson.member(json, name) instanceof Long n && n > 0 && n <= 3600
        ? Optional.of(Duration.ofSeconds(n))
        : Optional.empty();
  }

  /** Up to a tenth earlier, so that sidecars started together spread their renewals. */
  private static Duration jittered(Duration wait) {
    if (wait.isNegative() || wait.isZero()) {
      return Duration.ZERO;
    }
    long tenth = wait.toMillis() / 10;
    return wait.minusMillis(tenth == 0 ? 0 : ThreadLocalRandom.current().nextLong(tenth));
  }

  /** Anywhere from half of {@code period} to all of it: a fleet's polls do not line up. */
  private static Duration spread(Duration period) {
    long half = period.toMillis() / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
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
