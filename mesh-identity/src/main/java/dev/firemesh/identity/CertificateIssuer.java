package dev.firemesh.identity;

import dev.firemesh.api.identity.SpiffeId;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CA certificate with its private key: the thing that signs. Makes self-signed roots,
 * intermediates under a root, and leaf X.509-SVIDs shaped as the SPIFFE X509-SVID specification
 * asks (one URI SAN, {@code CA:false}, digitalSignature, no certificate signing).
 *
 * <p>Every certificate gets a 128-bit random serial, starts a minute in the past (a peer whose
 * clock runs a little behind must not see a brand new SVID as not yet valid) and never outlives its
 * issuer: a chain is only as valid as its shortest link.
 */
public record CertificateIssuer(X509Certificate certificate, PrivateKey privateKey) {
  /** How far notBefore is set back, for peers whose clocks lag. */
  public static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

  /** The subject of every leaf SVID; the identity is the URI SAN. */
  static final X500Name LEAF_SUBJECT = new X500Name("O=FireMesh");

  private static final SecureRandom RANDOM = new SecureRandom();

  public CertificateIssuer {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
    if (certificate.getBasicConstraints() < 0) {
      throw new IllegalArgumentException(
          "'" + certificate.getSubjectX500Principal() + "' is not a CA certificate");
    }
    if (!keyMatches(certificate.getPublicKey(), privateKey)) {
      throw new IllegalArgumentException(
          "the private key does not belong to '" + certificate.getSubjectX500Principal() + "'");
    }
  }

  /**
   * A self-signed root that may sign one level of intermediates (pathLen 1).
   *
   * @param subject an RFC 4514 name, e.g. {@code CN=FireMesh Root CA,O=FireMesh}
   */
  public static CertificateIssuer selfSignedRoot(
      KeyPair keys, String subject, Instant now, Duration validity) {
    X500Name name = new X500Name(subject);
    Instant notBefore = now.minus(CLOCK_SKEW);
    Instant notAfter = now.plus(validity);
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  name, serial(), Date.from(notBefore), Date.from(notAfter), name, keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(1))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  utils.createSubjectKeyIdentifier(keys.getPublic()));
      return new CertificateIssuer(sign(builder, keys.getPrivate()), keys.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot build a root certificate", e);
    }
  }

  /**
   * An intermediate CA signed by this one (pathLen 0: it signs leaves only), valid from now for
   * {@code validity} but never past this certificate.
   */
  public CertificateIssuer intermediate(
      KeyPair keys, String subject, Instant now, Duration validity) {
    try {
      X509v3CertificateBuilder builder =
          signed(window(now, validity), new X500Name(subject), keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new CertificateIssuer(sign(builder, privateKey), keys.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot build an intermediate certificate", e);
    }
  }

  /**
   * A leaf X.509-SVID for {@code publicKey} naming {@code identity}, valid from a minute ago until
   * {@code now + ttl} or this issuer's notAfter, whichever comes first.
   */
  public X509Certificate issueSvid(
      PublicKey publicKey, SpiffeId identity, Instant now, Duration ttl) {
    return leaf(
        publicKey,
        new GeneralNames(
            new GeneralName(GeneralName.uniformResourceIdentifier, identity.toString())),
        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth},
        now,
        ttl,
        "an SVID for " + identity);
  }

  /**
   * A TLS server certificate for {@code publicKey} naming host names and addresses (the admin API's
   * own certificate, which clients check by host name as every HTTPS client does): serverAuth only,
   * no URI SAN, so it can never pass for a workload's SVID.
   */
  public X509Certificate issueServerCertificate(
      PublicKey publicKey,
      List<String> dnsNames,
      List<InetAddress> addresses,
      Instant now,
      Duration ttl) {
    List<GeneralName> names = new ArrayList<>();
    dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
    addresses.forEach(
        a -> names.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(a.getAddress()))));
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a server certificate needs a host name or an address");
    }
    return leaf(
        publicKey,
        new GeneralNames(names.toArray(GeneralName[]::new)),
        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth},
        now,
        ttl,
        "a server certificate");
  }

  /**
   * A TLS client certificate for {@code publicKey} whose one URI SAN is {@code identity}: an
   * operator's, which names a path no workload ID has ({@code spiffe://<td>/operator/<name>}), with
   * clientAuth only, so it cannot serve as a workload's SVID either.
   */
  public X509Certificate issueClientCertificate(
      PublicKey publicKey, String identity, Instant now, Duration ttl) {
    return leaf(
        publicKey,
        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, identity)),
        new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth},
        now,
        ttl,
        "a client certificate for " + identity);
  }

  /**
   * A leaf (not a CA) for {@code publicKey} with {@code names} as its SANs (non-critical: the
   * subject is not empty, RFC 5280 4.2.1.6) and {@code purposes} as its extended key usage.
   */
  private X509Certificate leaf(
      PublicKey publicKey,
      GeneralNames names,
      KeyPurposeId[] purposes,
      Instant now,
      Duration ttl,
      String what) {
    int usage =
        publicKey instanceof RSAKey
            ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
            : KeyUsage.digitalSignature;
    try {
      X509v3CertificateBuilder builder =
          signed(window(now, ttl), LEAF_SUBJECT, publicKey)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
              .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes))
              .addExtension(Extension.subjectAlternativeName, false, names);
      return sign(builder, privateKey);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot build " + what, e);
    }
  }

  /** Never the key. */
  @Override
  public String toString() {
    return "CertificateIssuer[" + certificate.getSubjectX500Principal() + "]";
  }

  private record Validity(Instant notBefore, Instant notAfter) {}

  /** A certificate this issuer signs: random serial, the window, and both key identifiers. */
  private X509v3CertificateBuilder signed(Validity window, X500Name subject, PublicKey key)
      throws GeneralSecurityException, CertIOException {
    JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
    return new JcaX509v3CertificateBuilder(
            certificate,
            serial(),
            Date.from(window.notBefore()),
            Date.from(window.notAfter()),
            subject,
            key)
        .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key))
        .addExtension(
            Extension.authorityKeyIdentifier,
            false,
            utils.createAuthorityKeyIdentifier(certificate));
  }

  private Validity window(Instant now, Duration validity) {
    Instant issuerNotBefore = certificate.getNotBefore().toInstant();
    Instant issuerNotAfter = certificate.getNotAfter().toInstant();
    Instant notBefore = now.minus(CLOCK_SKEW);
    if (notBefore.isBefore(issuerNotBefore)) {
      notBefore = issuerNotBefore;
    }
    Instant notAfter = now.plus(validity);
    if (notAfter.isAfter(issuerNotAfter)) {
      notAfter = issuerNotAfter;
    }
    if (!notAfter.isAfter(now)) {
      throw new IllegalStateException(
          "'"
              + certificate.getSubjectX500Principal()
              + "' expired at "
              + issuerNotAfter
              + "; it cannot sign");
    }
    return new Validity(notBefore, notAfter);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws CertificateException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder(SignatureAlgorithms.forKey(key)).build(key)));
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign with a " + key.getAlgorithm() + " key", e);
    }
  }

  /** 128 random bits, positive (RFC 5280: at most 20 octets, positive). */
  private static BigInteger serial() {
    BigInteger serial;
    do {
      byte[] bytes = new byte[16];
      RANDOM.nextBytes(bytes);
      serial = new BigInteger(1, bytes);
    } while (serial.signum() == 0);
    return serial;
  }

  /** Whether {@code key} signs what {@code publicKey} verifies. */
  static boolean keyMatches(PublicKey publicKey, PrivateKey key) {
    if (!publicKey.getAlgorithm().equals(key.getAlgorithm())) {
      return false;
    }
    try {
      byte[] challenge = new byte[32];
      RANDOM.nextBytes(challenge);
      String algorithm = SignatureAlgorithms.forKey(key);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }
}
