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
 * <p>Immutable after {@link #start}: the certificates and the unsealed intermediate key are read
 * once; issuance needs no database read.
 */
public final class CertificateAuthority {
  private static final Logger log = LoggerFactory.getLogger(CertificateAuthority.class);

  public static final String DEFAULT_TRUST_DOMAIN = "firemesh.local";
  public static final Duration DEFAULT_SVID_TTL = Duration.ofHours(1);
  public static final Duration MIN_SVID_TTL = Duration.ofMinutes(5);
  public static final Duration MAX_SVID_TTL = Duration.ofHours(24);
  public static final Duration ROOT_VALIDITY = Duration.ofDays(3650);
  public static final Duration INTERMEDIATE_VALIDITY = Duration.ofDays(365);

  /** Files an operator supplies to use an existing PKI instead of a generated one. */
  public record Import(Path rootCertificate, Path intermediateCertificate, Path intermediateKey) {}

  /**
   * How the CA runs.
   *
   * @param svidTtl how long an SVID is valid (5 minutes to 24 hours)
   * @param imported the operator's CA, used if the database has none yet
   * @param warnBefore warn this long before a CA certificate expires (or at 20% of its lifetime
   *     left, if that comes sooner)
   */
  public record Options(
      String trustDomain, Duration svidTtl, Optional<Import> imported, Duration warnBefore) {
    public Options {
      Objects.requireNonNull(trustDomain, "trustDomain");
      Objects.requireNonNull(imported, "imported");
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
          ExpiryWatch.DEFAULT_WARN_BEFORE);
    }

    public Options withTrustDomain(String domain) {
      return new Options(domain, svidTtl, imported, warnBefore);
    }

    public Options withSvidTtl(Duration ttl) {
      return new Options(trustDomain, ttl, imported, warnBefore);
    }

    public Options withImport(Optional<Import> files) {
      return new Options(trustDomain, svidTtl, files, warnBefore);
    }

    public Options withWarnBefore(Duration before) {
      return new Options(trustDomain, svidTtl, imported, before);
    }
  }

  /** A signed SVID with what the workload needs beside it. */
  public record IssuedSvid(
      SpiffeId identity,
      X509Certificate leaf,
      List<X509Certificate> chain,
      List<X509Certificate> trustBundle,
      Instant renewAfter) {}

  private final String trustDomain;
  private final Duration svidTtl;
  private final CertificateIssuer issuer;
  private final List<CaCertificate> certificates;
  private final List<X509Certificate> trustBundle;
  private final List<X509Certificate> intermediates;
  private final SvidVerifier verifier;
  private final Clock clock;

  private CertificateAuthority(
      String trustDomain,
      Duration svidTtl,
      CertificateIssuer issuer,
      List<CaCertificate> certificates,
      Clock clock) {
    this.trustDomain = trustDomain;
    this.svidTtl = svidTtl;
    this.issuer = issuer;
    this.certificates = List.copyOf(certificates);
    this.trustBundle = trusted(certificates, CaCertificate.Role.ROOT);
    this.intermediates = trusted(certificates, CaCertificate.Role.INTERMEDIATE);
    this.verifier = new SvidVerifier(trustDomain, trustBundle);
    this.clock = clock;
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
    List<CaCertificate> all =
        store.establish(
            () ->
                imported
                    .map(ca -> ca.rows(kek))
                    .orElseGet(() -> generate(stored, kek, clock.instant())));
    CaCertificate active =
        all.stream()
            .filter(
                c ->
                    c.role() == CaCertificate.Role.INTERMEDIATE
                        && c.state() == CaCertificate.State.ACTIVE)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("the store has no active intermediate"));
    if (imported.isPresent()
        && !imported.get().intermediateFingerprint().equals(active.fingerprint())) {
      log.warn(
          "--ca-intermediate-cert ignored: this database's CA is already set up (active"
              + " intermediate {})",
          active.fingerprint());
    }
    X509Certificate certificate = Pem.decodeCertificate(active.certificatePem());
    if (!(active.key() instanceof StoredKey.Sealed sealed)) {
      throw new IllegalStateException(
          "the active intermediate " + active.fingerprint() + " has no key in the store");
    }
    PrivateKey key = Pem.privateKey(kek.open(sealed.ciphertext(), sealed.kekId(), boundTo(active)));
    CertificateAuthority ca =
        new CertificateAuthority(
            stored, options.svidTtl(), new CertificateIssuer(certificate, key), all, clock);
    log.info(
        "certificate authority for trust domain {}: intermediate {} until {}, key-encryption key {}",
        stored,
        active.fingerprint(),
        active.notAfter(),
        kek.id());
    return ca;
  }

  public String trustDomain() {
    return trustDomain;
  }

  public Duration svidTtl() {
    return svidTtl;
  }

  /** Every CA certificate of the database, as loaded at start. */
  public List<CaCertificate> certificates() {
    return certificates;
  }

  /** The roots whose state is active or trusted. */
  public List<X509Certificate> trustBundle() {
    return trustBundle;
  }

  /** Signs an SVID for {@code publicKey}; the caller has checked that it may have {@code id}. */
  public IssuedSvid issue(PublicKey publicKey, SpiffeId identity) {
    if (!identity.trustDomain().equals(trustDomain)) {
      throw new IllegalArgumentException(
          identity + " is not in this CA's trust domain " + trustDomain);
    }
    Instant now = clock.instant();
    X509Certificate leaf = issuer.issueSvid(publicKey, identity, now, svidTtl);
    Instant notAfter = leaf.getNotAfter().toInstant();
    Instant renewAfter = now.plus(Duration.between(now, notAfter).dividedBy(2));
    return new IssuedSvid(
        identity, leaf, List.of(leaf, issuer.certificate()), trustBundle, renewAfter);
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
    Instant now = clock.instant();
    SvidRejectedException rejected =
        new SvidRejectedException(
            SvidRejectedException.Reason.UNTRUSTED,
            "no trusted intermediate issued the SVID (issuer "
                + leaf.getIssuerX500Principal()
                + ")");
    for (X509Certificate intermediate : intermediates) {
      if (!intermediate.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
        continue;
      }
      try {
        return verifier.verify(List.of(leaf, intermediate), now);
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
    return List.of(leaf.apply(issuer, clock.instant()), issuer.certificate());
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
    CertificateIssuer root =
        CertificateIssuer.selfSignedRoot(
            KeyPairs.generateP384(),
            "CN=FireMesh Root CA,OU=" + trustDomain + ",O=FireMesh",
            now,
            ROOT_VALIDITY);
    CertificateIssuer intermediate =
        root.intermediate(
            KeyPairs.generate(),
            "CN=FireMesh Intermediate CA,OU=" + trustDomain + ",O=FireMesh",
            now,
            INTERMEDIATE_VALIDITY);
    log.info("generated a root and an intermediate CA for trust domain {}", trustDomain);
    return List.of(
        row(root.certificate(), Optional.empty(), Optional.of(root.privateKey()), kek),
        row(
            intermediate.certificate(),
            Optional.of(Fingerprint.sha256(root.certificate())),
            Optional.of(intermediate.privateKey()),
            kek));
  }

  static CaCertificate row(
      X509Certificate certificate,
      Optional<String> issuerFingerprint,
      Optional<PrivateKey> key,
      KeyEncryptionKey kek) {
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
        CaCertificate.State.ACTIVE,
        certificate.getNotBefore().toInstant(),
        certificate.getNotAfter().toInstant());
  }

  /** The operator's CA files, read and checked before anything is stored. */
  private record ImportedCa(
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
      try {
        root.verify(root.getPublicKey());
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException(
            files.rootCertificate() + " is not a self-signed root: " + e.getMessage());
      }
      if (root.getBasicConstraints() < 0) {
        throw new IllegalArgumentException(files.rootCertificate() + " is not a CA certificate");
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
            files.intermediateCertificate()
                + " does not chain to "
                + files.rootCertificate()
                + ": "
                + e.getMessage());
      }
      try {
        new CertificateIssuer(intermediate, key);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            files.intermediateKey()
                + " / "
                + files.intermediateCertificate()
                + ": "
                + e.getMessage());
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
