package dev.firemesh.identity;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates for tests: a root, intermediates and leaves with whatever flaws a test needs. */
final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(1);

  record Issued(X509Certificate certificate, KeyPair keys) {}

  static KeyPair keys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  static Issued root(String trustDomain) throws Exception {
    KeyPair keys = keys();
    return new Issued(
        certificate(
            new X500Principal("CN=root " + trustDomain),
            keys,
            new X500Principal("CN=root " + trustDomain),
            keys,
            true,
            List.of("spiffe://" + trustDomain),
            Instant.now().minusSeconds(60),
            Instant.now().plusSeconds(86_400)),
        keys);
  }

  static Issued intermediate(Issued issuer, String name) throws Exception {
    KeyPair keys = keys();
    return new Issued(
        certificate(
            new X500Principal("CN=" + name),
            keys,
            issuer.certificate().getSubjectX500Principal(),
            issuer.keys(),
            true,
            List.of(),
            Instant.now().minusSeconds(60),
            Instant.now().plusSeconds(86_400)),
        keys);
  }

  static Issued leaf(Issued issuer, List<String> uris, Instant notBefore, Instant notAfter)
      throws Exception {
    return leaf(issuer, uris, notBefore, notAfter, false);
  }

  static Issued leaf(
      Issued issuer, List<String> uris, Instant notBefore, Instant notAfter, boolean ca)
      throws Exception {
    KeyPair keys = keys();
    return new Issued(
        certificate(
            new X500Principal("CN=workload"),
            keys,
            issuer.certificate().getSubjectX500Principal(),
            issuer.keys(),
            ca,
            uris,
            notBefore,
            notAfter),
        keys);
  }

  static Issued leaf(Issued issuer, String uri) throws Exception {
    return leaf(
        issuer, List.of(uri), Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600));
  }

  private static X509Certificate certificate(
      X500Principal subject,
      KeyPair subjectKeys,
      X500Principal issuer,
      KeyPair issuerKeys,
      boolean ca,
      List<String> uris,
      Instant notBefore,
      Instant notAfter)
      throws Exception {
    var builder =
        new JcaX509v3CertificateBuilder(
            issuer,
            BigInteger.valueOf(SERIAL.getAndIncrement()),
            Date.from(notBefore),
            Date.from(notAfter),
            subject,
            subjectKeys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    builder.addExtension(
        Extension.keyUsage,
        true,
        new KeyUsage(
            ca
                ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    if (!uris.isEmpty()) {
      GeneralName[] names =
          uris.stream()
              .map(uri -> new GeneralName(GeneralName.uniformResourceIdentifier, uri))
              .toArray(GeneralName[]::new);
      builder.addExtension(Extension.subjectAlternativeName, !ca, new GeneralNames(names));
    }
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  private TestPki() {}
}
