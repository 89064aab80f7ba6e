package dev.firemesh.control.ca;

import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.identity.CertificateIssuer;
import dev.firemesh.identity.Fingerprint;
import dev.firemesh.identity.KeyPairs;
import dev.firemesh.identity.Pem;
import dev.firemesh.identity.SvidRejectedException;
import dev.firemesh.identity.SvidVerifier;
import dev.firemesh.store.ca.CaCertificate;
import dev.firemesh.store.ca.CaCertificates;
import dev.firemesh.store.ca.CaRotation;
import dev.firemesh.store.ca.CaSnapshot;
import dev.firemesh.store.ca.StoredKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mesh's certificate authority: one root and one active intermediate per database, set up by
 * the first replica that starts (generated, or imported from the operator's files) and loaded by
 * every other. Signs X.509-SVIDs with the intermediate and checks the SVIDs renewals present.
 *
 * <p>Issuance needs no database read: the certificates and the unsealed intermediate key are held
 * in memory, replaced whole by {@link #reload} when a rotation step (on any replica) has changed
 * the store.
 */
public final class CertificateAuthority {
  private static final Logger log = LoggerFactory.getLogger(CertificateAuthority.class);

  public static final String DEFAULT_TRUST_DOMAIN = "firemesh.local";
  public static final Duration DEFAULT_SVID_TTL = Duration.ofHours(1);
  public static final Duration MIN_SVID_TTL = Duration.ofMinutes(5);
  public static final Duration MAX_SVID_TTL = Duration.ofHours(24);
  public static final Duration ROOT_VALIDITY = Duration.ofDays(3650);
  public static final Duration INTERMEDIATE_VALIDITY = Duration.ofDays(365);
  // A workload that renewed just before the root joined the bundle polls within this margin.
  static final Duration BUNDLE_POLL_MARGIN = Duration.ofMinutes(1);

  /** Files an operator supplies to use an existing PKI instead of a generated one. */
  public record Import(Path rootCertificate, Path intermediateCertificate, Path intermediateKey) {}

  /**
   * How the CA runs.
   *
   * @param svidTtl how long an SVID is valid (5 minutes to 24 hours)
   * @param imported the operator's CA, used if the database has none yet
   * @param warnBefore warn this long before a CA certificate expires (or at 20% of its lifetime
   *     left, if that comes sooner)
   * @param bundlePropagation how long a new root must have been in the trust bundle before a
   *     rotation may activate; empty: the SVID lifetime plus a minute, by which every workload
   *     still alive has renewed and so holds it
   */
  public record Options(
      String trustDomain,
      Duration svidTtl,
      Optional<Import> imported,
      Duration warnBefore,
      Optional<Duration> bundlePropagation) {
    public Options {
      Objects.requireNonNull(trustDomain, "trustDomain");
      Objects.requireNonNull(imported, "imported");
      Objects.requireNonNull(bundlePropagation, "bundlePropagation");
      if (bundlePropagation.isPresent() && bundlePropagation.get().isNegative()) {
        throw new IllegalArgumentException("the bundle propagation time must not be negative");
      }
      if (!SpiffeId.isTrustDomain(trustDomain)) {
        throw new IllegalArgumentException(
            "trust domain must be 1-255 of a-z 0-9 . - _, got '" + trustDomain + "'");
      }
      if (svidTtl.compareTo(MIN_SVID_TTL) < 0 || svidTtl.compareTo(MAX_SVID_TTL) > 0) {
        throw new IllegalArgumentException(
            "the SVID lifetime must be between 5 minutes and 24 hours, got " + svidTtl);
      }
      if (warnBefore.isNegative()) {
        throw new IllegalArgumentException("the CA expiry warning must not be negative");
      }
    }

    public static Options defaults() {
      return new Options(
          DEFAULT_TRUST_DOMAIN,
          DEFAULT_SVID_TTL,
          Optional.empty(),
          ExpiryWatch.DEFAULT_WARN_BEFORE,
          Optional.empty());
    }

    public Options withTrustDomain(String domain) {
      return new Options(domain, svidTtl, imported, warnBefore, bundlePropagation);
    }

    public Options withSvidTtl(Duration ttl) {
      return new Options(trustDomain, ttl, imported, warnBefore, bundlePropagation);
    }

    public Options withImport(Optional<Import> files) {
      return new Options(trustDomain, svidTtl, files, warnBefore, bundlePropagation);
    }

    public Options withBundlePropagation(Optional<Duration> propagation) {
      return new Options(trustDomain, svidTtl, imported, warnBefore, propagation);
    }

    /** How long a new root must have been trusted before its intermediate may sign. */
    public Duration effectiveBundlePropagation() {
      return bundlePropagation.orElse(svidTtl.plus(BUNDLE_POLL_MARGIN));
    }

    public Options withWarnBefore(Duration before) {
      return new Options(trustDomain, svidTtl, imported, before, bundlePropagation);
    }
  }

  /** A signed SVID with what the workload needs beside it. */
  public record IssuedSvid(
      SpiffeId identity,
      X509Certificate leaf,
      List<X509Certificate> chain,
      List<X509Certificate> trustBundle,
      Instant renewAfter) {
    /** The fingerprint of the intermediate that signed it. */
    public String issuerFingerprint() {
      return Fingerprint.sha256(chain.get(1));
    }
  }

  /**
   * The CA as last loaded from the store: what signs, what is trusted, the rotation under way.
   * Replaced whole on reload, so an issue never mixes two states.
   */
  private record Loaded(
      long version,
      List<CaCertificate> certificates,
      Optional<CaRotation> rotation,
      CertificateIssuer issuer,
      String issuerFingerprint,
      List<X509Certificate> trustBundle,
      String trustBundleFingerprint,
      List<X509Certificate> intermediates,
      SvidVerifier verifier) {}

  private final String trustDomain;
  private final Duration svidTtl;
  private final CaCertificates store;
  private final KeyEncryptionKey kek;
  private final Clock clock;
  private volatile Loaded loaded;
  private final List<Runnable> changeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  private CertificateAuthority(
      String trustDomain,
      Duration svidTtl,
      CaCertificates store,
      KeyEncryptionKey kek,
      Clock clock,
      Loaded loaded) {
    this.trustDomain = trustDomain;
    this.svidTtl = svidTtl;
    this.store = store;
    this.kek = kek;
    this.clock = clock;
    this.loaded = loaded;
  }

  /**
   * Loads the CA from the store, setting it up first if this database has none.
   *
   * @throws IllegalStateException if the database belongs to another trust domain, the stored key
   *     does not open with {@code kek}, or the imported files do not make a CA
   */
  public static CertificateAuthority start(
      CaCertificates store, KeyEncryptionKey kek, Options options, Clock clock) {
    String stored = store.claimTrustDomain(options.trustDomain());
    if (!stored.equals(options.trustDomain())) {
      throw new IllegalStateException(
          "this database belongs to trust domain '"
              + stored
              + "' (stored at its first start), but this control plane was started with"
              + " --trust-domain '"
              + options.trustDomain()
              + "'; start it with --trust-domain "
              + stored
              + ", or give it another database");
    }
    Optional<ImportedCa> imported = options.imported().map(ImportedCa::read);
    store.establish(
        () ->
            imported
                .map(ca -> ca.rows(kek))
                .orElseGet(() -> generate(stored, kek, clock.instant())));
    Loaded loaded = load(stored, store.snapshot(), kek, Optional.empty());
    if (imported.isPresent()
        && !imported.get().intermediateFingerprint().equals(loaded.issuerFingerprint())) {
      log.warn(
          "--ca-intermediate-cert ignored: this database's CA is already set up (active"
              + " intermediate {})",
          loaded.issuerFingerprint());
    }
    log.info(
        "certificate authority for trust domain {}: intermediate {} until {}, key-encryption key {}",
        stored,
        loaded.issuerFingerprint(),
        loaded.issuer().certificate().getNotAfter().toInstant(),
        kek.id());
    return new CertificateAuthority(stored, options.svidTtl(), store, kek, clock, loaded);
  }

  /**
   * Reads the store again if a rotation step (on any replica) has changed it since the last load:
   * from then on the new active intermediate signs and the new trust bundle is served. If the store
   * cannot be read, the CA goes on as it was (fail static).
   *
   * @return whether anything changed
   */
  public synchronized boolean reload() {
    Loaded before = loaded;
    if (store.version() == before.version()) {
      return false;
    }
    Loaded after = load(trustDomain, store.snapshot(), kek, Optional.of(before));
    loaded = after;
    for (Runnable listener : changeListeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        log.warn("a listener of CA changes failed: {}", e.toString());
      }
    }
    log.info(
        "certificate authority reloaded (version {}): signing with intermediate {}, trust bundle"
            + " {} ({} roots), rotation {}",
        after.version(),
        after.issuerFingerprint(),
        after.trustBundleFingerprint(),
        after.trustBundle().size(),
        after.rotation().map(r -> r.stage().text()).orElse("none"));
    return true;
  }

  private static Loaded load(
      String trustDomain, CaSnapshot snapshot, KeyEncryptionKey kek, Optional<Loaded> before) {
    CaCertificate active =
        snapshot.certificates().stream()
            .filter(
                c ->
                    c.role() == CaCertificate.Role.INTERMEDIATE
                        && c.state() == CaCertificate.State.ACTIVE)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("the store has no active intermediate"));
    // The key is unsealed only when the signer changes.
    CertificateIssuer issuer =
        before
            .filter(b -> b.issuerFingerprint().equals(active.fingerprint()))
            .map(Loaded::issuer)
            .orElseGet(() -> unseal(active, kek));
    List<X509Certificate> bundle = trusted(snapshot.certificates(), CaCertificate.Role.ROOT);
    List<X509Certificate> intermediates =
        trusted(snapshot.certificates(), CaCertificate.Role.INTERMEDIATE);
    return new Loaded(
        snapshot.version(),
        snapshot.certificates(),
        snapshot.rotation(),
        issuer,
        active.fingerprint(),
        bundle,
        Fingerprint.ofBundle(bundle),
        intermediates,
        new SvidVerifier(trustDomain, bundle));
  }

  static CertificateIssuer unseal(CaCertificate certificate, KeyEncryptionKey kek) {
    if (!(certificate.key() instanceof StoredKey.Sealed sealed)) {
      throw new IllegalStateException(
          "the "
              + certificate.role().name().toLowerCase(java.util.Locale.ROOT)
              + " "
              + certificate.fingerprint()
              + " has no key in the store");
    }
    PrivateKey key =
        Pem.privateKey(kek.open(sealed.ciphertext(), sealed.kekId(), boundTo(certificate)));
    return new CertificateIssuer(Pem.decodeCertificate(certificate.certificatePem()), key);
  }

  public String trustDomain() {
    return trustDomain;
  }

  public Duration svidTtl() {
    return svidTtl;
  }

  /** Every CA certificate of the database, as last loaded. */
  public List<CaCertificate> certificates() {
    return loaded.certificates();
  }

  /** The roots whose state is active or trusted. */
  public List<X509Certificate> trustBundle() {
    return loaded.trustBundle();
  }

  /** {@link Fingerprint#ofBundle} of the {@link #trustBundle}. */
  public String trustBundleFingerprint() {
    return loaded.trustBundleFingerprint();
  }

  /**
   * Runs {@code listener} after every reload that changed the CA (a rotation step here or on
   * another replica), on the thread that reloaded: what holds certificates from the CA (the admin
   * API's server certificate) re-issues them before the step's answer goes back.
   */
  public void onChange(Runnable listener) {
    changeListeners.add(listener);
  }

  /** The intermediate that signs now. */
  public X509Certificate signingCertificate() {
    return loaded.issuer().certificate();
  }

  /** The fingerprint of the intermediate that signs now. */
  public String issuerFingerprint() {
    return loaded.issuerFingerprint();
  }

  /** The rotation under way, as last loaded. */
  public Optional<CaRotation> rotation() {
    return loaded.rotation();
  }

  /** The store's version this CA last loaded. */
  public long version() {
    return loaded.version();
  }

  /** Signs an SVID for {@code publicKey}; the caller has checked that it may have {@code id}. */
  public IssuedSvid issue(PublicKey publicKey, SpiffeId identity) {
    if (!identity.trustDomain().equals(trustDomain)) {
      throw new IllegalArgumentException(
          identity + " is not in this CA's trust domain " + trustDomain);
    }
    Loaded now = loaded;
    Instant at = clock.instant();
    X509Certificate leaf = now.issuer().issueSvid(publicKey, identity, at, svidTtl);
    Instant notAfter = leaf.getNotAfter().toInstant();
    Instant renewAfter = at.plus(Duration.between(at, notAfter).dividedBy(2));
    return new IssuedSvid(
        identity, leaf, List.of(leaf, now.issuer().certificate()), now.trustBundle(), renewAfter);
  }

  /**
   * The identity of a leaf this CA's trusted certificates vouch for now: it chains to an active or
   * trusted root through an active or trusted intermediate, is valid now, is not a CA and names one
   * mesh SPIFFE ID of this trust domain. The check is the sidecars' ({@link SvidVerifier}), so the
   * CA renews exactly the SVIDs peers accept.
   *
   * @throws SvidRejectedException with the reason
   */
  public SpiffeId validate(X509Certificate leaf) throws SvidRejectedException {
    Loaded state = loaded;
    Instant now = clock.instant();
    SvidRejectedException rejected =
        new SvidRejectedException(
            SvidRejectedException.Reason.UNTRUSTED,
            "no trusted intermediate issued the SVID (issuer "
                + leaf.getIssuerX500Principal()
                + ")");
    for (X509Certificate intermediate : state.intermediates()) {
      if (!intermediate.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
        continue;
      }
      try {
        return state.verifier().verify(List.of(leaf, intermediate), now);
      } catch (SvidRejectedException e) {
        rejected = e;
      }
    }
    throw rejected;
  }

  /**
   * Signs a certificate that is not an SVID (the admin API's server certificate, an operator's
   * client certificate) with the active intermediate; {@code leaf} makes it, given the signer and
   * the time. Answers the chain, leaf first.
   */
  public List<X509Certificate> sign(BiFunction<CertificateIssuer, Instant, X509Certificate> leaf) {
    CertificateIssuer signer = loaded.issuer(); // one read: a rotation may swap it meanwhile
    return List.of(leaf.apply(signer, clock.instant()), signer.certificate());
  }

  private static List<X509Certificate> trusted(
      List<CaCertificate> certificates, CaCertificate.Role role) {
    return certificates.stream()
        .filter(c -> c.role() == role && c.state() != CaCertificate.State.RETIRED)
        .map(c -> Pem.decodeCertificate(c.certificatePem()))
        .toList();
  }

  /** The sealed key is bound to its certificate: moved to another row, it does not open. */
  private static byte[] boundTo(CaCertificate certificate) {
    return certificate.fingerprint().getBytes(StandardCharsets.US_ASCII);
  }

  private static List<CaCertificate> generate(
      String trustDomain, KeyEncryptionKey kek, Instant now) {
    CertificateIssuer root = newRoot(trustDomain, "", now);
    CertificateIssuer intermediate = newIntermediate(root, trustDomain, "", now);
    log.info("generated a root and an intermediate CA for trust domain {}", trustDomain);
    return List.of(
        row(root.certificate(), Optional.empty(), Optional.of(root.privateKey()), kek),
        row(
            intermediate.certificate(),
            Optional.of(Fingerprint.sha256(root.certificate())),
            Optional.of(intermediate.privateKey()),
            kek));
  }

  /**
   * A new root (EC P-384, ten years).
   *
   * @param generation appended to the common name ("" for the first, " G2" for the next) so that
   *     operators, and path building, tell the roots of a rotation apart
   */
  static CertificateIssuer newRoot(String trustDomain, String generation, Instant now) {
    return CertificateIssuer.selfSignedRoot(
        KeyPairs.generateP384(),
        "CN=FireMesh Root CA" + generation + ",OU=" + trustDomain + ",O=FireMesh",
        now,
        ROOT_VALIDITY);
  }

  /** A new intermediate (EC P-256, a year, never past its root), signed by {@code root}. */
  static CertificateIssuer newIntermediate(
      CertificateIssuer root, String trustDomain, String generation, Instant now) {
    return root.intermediate(
        KeyPairs.generate(),
        "CN=FireMesh Intermediate CA" + generation + ",OU=" + trustDomain + ",O=FireMesh",
        now,
        INTERMEDIATE_VALIDITY);
  }

  static CaCertificate row(
      X509Certificate certificate,
      Optional<String> issuerFingerprint,
      Optional<PrivateKey> key,
      KeyEncryptionKey kek) {
    return row(certificate, issuerFingerprint, key, kek, CaCertificate.State.ACTIVE);
  }

  static CaCertificate row(
      X509Certificate certificate,
      Optional<String> issuerFingerprint,
      Optional<PrivateKey> key,
      KeyEncryptionKey kek,
      CaCertificate.State state) {
    String fingerprint = Fingerprint.sha256(certificate);
    CaCertificate.Role role =
        issuerFingerprint.isEmpty() ? CaCertificate.Role.ROOT : CaCertificate.Role.INTERMEDIATE;
    StoredKey stored =
        key.<StoredKey>map(
                k ->
                    new StoredKey.Sealed(
                        kek.seal(k.getEncoded(), fingerprint.getBytes(StandardCharsets.US_ASCII)),
                        kek.id()))
            .orElseGet(StoredKey.None::new);
    return new CaCertificate(
        fingerprint,
        role,
        issuerFingerprint,
        certificate.getSubjectX500Principal().getName(),
        certificate.getSerialNumber().toString(16),
        Pem.encodeCertificate(certificate),
        stored,
        state,
        certificate.getNotBefore().toInstant(),
        certificate.getNotAfter().toInstant());
  }

  /** The operator's CA files, read and checked before anything is stored. */
  record ImportedCa(
      X509Certificate root, X509Certificate intermediate, PrivateKey intermediateKey) {
    static ImportedCa read(Import files) {
      X509Certificate root = certificate(files.rootCertificate());
      X509Certificate intermediate = certificate(files.intermediateCertificate());
      PrivateKey key;
      try {
        key = Pem.decodePrivateKey(text(files.intermediateKey()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(files.intermediateKey() + ": " + e.getMessage(), e);
      }
      return checked(
          root,
          intermediate,
          key,
          files.rootCertificate().toString(),
          files.intermediateCertificate().toString(),
          files.intermediateKey().toString());
    }

    /**
     * The operator's certificates if they make a CA: the root is a self-signed CA, the intermediate
     * chains to it (PKIX), the key is the intermediate's.
     *
     * @param rootName how to name the root in a message (its file)
     * @throws IllegalArgumentException saying what is wrong with which
     */
    static ImportedCa checked(
        X509Certificate root,
        X509Certificate intermediate,
        PrivateKey key,
        String rootName,
        String intermediateName,
        String keyName) {
      try {
        root.verify(root.getPublicKey());
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException(
            rootName + " is not a self-signed root: " + e.getMessage());
      }
      if (root.getBasicConstraints() < 0) {
        throw new IllegalArgumentException(rootName + " is not a CA certificate");
      }
      try {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX")
            .validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(intermediate)),
                parameters);
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException(
            intermediateName + " does not chain to " + rootName + ": " + e.getMessage());
      }
      try {
        new CertificateIssuer(intermediate, key);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            keyName + " / " + intermediateName + ": " + e.getMessage());
      }
      return new ImportedCa(root, intermediate, key);
    }

    String intermediateFingerprint() {
      return Fingerprint.sha256(intermediate);
    }

    /** The root's key stays with the operator: only the intermediate's is stored. */
    List<CaCertificate> rows(KeyEncryptionKey kek) {
      log.info("importing the operator's CA: root {}", root.getSubjectX500Principal());
      return List.of(
          row(root, Optional.empty(), Optional.empty(), kek),
          row(
              intermediate,
              Optional.of(Fingerprint.sha256(root)),
              Optional.of(intermediateKey),
              kek));
    }

    private static X509Certificate certificate(Path file) {
      try {
        return Pem.decodeCertificate(text(file));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
      }
    }

    private static String text(Path file) {
      try {
        return Files.readString(file, StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
  }
}
