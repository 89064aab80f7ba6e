package dev.firemesh.proxy.tls;

import dev.firemesh.identity.Fingerprint;
import dev.firemesh.identity.SvidRejectedException;
import dev.firemesh.identity.SvidVerifier;
import dev.firemesh.identity.WorkloadCredentials;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's mesh identity for TLS: the current credentials and the contexts made from them.
 * {@link #update} (any thread) builds new contexts and swaps them in one reference write:
 * handshakes that start afterwards present the new SVID and trust the new bundle; connections
 * already open keep the engine they were made with, so a renewal never drops a connection or a
 * request.
 *
 * <p>Without credentials the sidecar speaks plaintext only (and a strict inbound listener refuses
 * every peer).
 */
public final class MeshTls {
  private static final Logger log = LoggerFactory.getLogger(MeshTls.class);

  private final TlsProtocols protocols;
  private final String forcedProvider;
  private final InstantSource clock;
  private final TlsStats stats = new TlsStats();
  private final AtomicReference<TlsContexts> current = new AtomicReference<>();

  /**
   * @param forcedProvider {@code openssl}, {@code jdk}, or empty to choose by what is available
   *     (see {@link TlsProvider#select(String)}; the system property is read by the caller)
   */
  public MeshTls(TlsProtocols protocols, String forcedProvider, InstantSource clock) {
    this.protocols = Objects.requireNonNull(protocols, "protocols");
    this.forcedProvider = Objects.requireNonNull(forcedProvider, "forcedProvider");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The provider {@value TlsProvider#PROPERTY} names, or the best available. */
  public MeshTls(TlsProtocols protocols) {
    this(protocols, System.getProperty(TlsProvider.PROPERTY, ""), InstantSource.system());
  }

  /**
   * Makes {@code credentials} the ones new handshakes use. They are checked first against their own
   * trust bundle: credentials that would not prove their identity to a peer are refused and the
   * previous ones stay in force.
   *
   * @throws IllegalArgumentException if the chain does not verify or names another identity
   */
  public void update(WorkloadCredentials credentials) {
    Objects.requireNonNull(credentials, "credentials");
    SvidVerifier verifier = SvidVerifier.of(credentials);
    try {
      var proven = verifier.verify(credentials.chain(), clock.instant());
      if (!proven.equals(credentials.identity())) {
        throw new IllegalArgumentException(
            "the SVID names " + proven + ", the credentials say " + credentials.identity());
      }
    } catch (SvidRejectedException e) {
      throw new IllegalArgumentException(
          "credentials refused (" + e.reason().label() + "): " + e.getMessage(), e);
    }
    TlsProvider provider =
        TlsProvider.select(credentials.privateKey().getAlgorithm(), forcedProvider);
    TlsContexts contexts;
    try {
      contexts = TlsContexts.of(credentials, provider, protocols, clock);
    } catch (SSLException e) {
      throw new IllegalArgumentException("cannot build TLS contexts: " + e.getMessage(), e);
    }
    TlsContexts previous = current.getAndSet(contexts);
    if (previous == null) {
      log.info(
          "mTLS on identity={} serial={} notAfter={} provider={} protocols={}",
          credentials.identity(),
          credentials.leaf().getSerialNumber().toString(16),
          credentials.notAfter(),
          provider.label(),
          protocols.protocols());
    } else {
      log.info(
          "mTLS credentials renewed identity={} serial={} notAfter={}",
          credentials.identity(),
          credentials.leaf().getSerialNumber().toString(16),
          credentials.notAfter());
    }
  }

  /** The contexts new handshakes use; empty until credentials were given. */
  public Optional<TlsContexts> current() {
    return Optional.ofNullable(current.get());
  }

  public TlsProtocols protocols() {
    return protocols;
  }

  public TlsStats stats() {
    return stats;
  }

  InstantSource clock() {
    return clock;
  }

  /** Seconds until the SVID expires (negative once it has), if there is one. */
  public Optional<Long> secondsToExpiry() {
    return current()
        .map(c -> c.credentials().notAfter().getEpochSecond() - clock.instant().getEpochSecond());
  }

  /**
   * What the admin pages show of the credentials: identity, serial, validity, provider, protocols,
   * the trust bundle's fingerprints. Never key material.
   */
  public Map<String, Object> describe() {
    Map<String, Object> page = new LinkedHashMap<>();
    TlsContexts contexts = current.get();
    if (contexts == null) {
      page.put("mtls", false);
      page.put("reason", "no credentials: plaintext only");
      page.put("protocols", protocols.protocols());
      return page;
    }
    WorkloadCredentials credentials = contexts.credentials();
    X509Certificate leaf = credentials.leaf();
    page.put("mtls", true);
    page.put("identity", credentials.identity().toString());
    page.put("serial", leaf.getSerialNumber().toString(16));
    page.put("notBefore", leaf.getNotBefore().toInstant().toString());
    page.put("notAfter", credentials.notAfter().toString());
    page.put("secondsToExpiry", credentials.notAfter().getEpochSecond() - now().getEpochSecond());
    page.put("issuer", leaf.getIssuerX500Principal().getName());
    page.put("chainLength", credentials.chain().size());
    page.put("provider", contexts.provider().label());
    page.put("protocols", protocols.protocols());
    page.put("trustDomain", contexts.verifier().trustDomain());
    List<Map<String, Object>> bundle =
        credentials.trustBundle().stream()
            .map(
                root -> {
                  Map<String, Object> entry = new LinkedHashMap<>();
                  entry.put("subject", root.getSubjectX500Principal().getName());
                  entry.put("sha256", Fingerprint.sha256(root));
                  entry.put("notAfter", root.getNotAfter().toInstant().toString());
                  return entry;
                })
            .toList();
    page.put("trustBundle", bundle);
    return page;
  }

  private Instant now() {
    return clock.instant();
  }
}
