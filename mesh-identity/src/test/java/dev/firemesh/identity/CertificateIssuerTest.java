package dev.firemesh.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firemesh.api.identity.SpiffeId;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CertificateIssuerTest {
  private static final SpiffeId ORDERS = new SpiffeId("firemesh.local", "prod", "orders");
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  private final CertificateIssuer root =
      CertificateIssuer.selfSignedRoot(
          KeyPairs.generateP384(), "CN=Test Root,O=FireMesh", NOW, Duration.ofDays(3650));
  private final CertificateIssuer intermediate =
      root.intermediate(
          KeyPairs.generate(), "CN=Test Intermediate,O=FireMesh", NOW, Duration.ofDays(365));

  @Test
  void aLeafValidatesWithTheJdkPkixValidatorAgainstTheRoot() throws Exception {
    X509Certificate leaf =
        intermediate.issueSvid(KeyPairs.generate().getPublic(), ORDERS, NOW, Duration.ofHours(1));

    validate(List.of(leaf, intermediate.certificate()), root.certificate(), NOW);
  }

  @Test
  void aLeafSignedByAnotherRootDoesNotValidate() {
    CertificateIssuer otherRoot =
        CertificateIssuer.selfSignedRoot(KeyPairs.generate(), "CN=Other", NOW, Duration.ofDays(1));
    X509Certificate leaf =
        intermediate.issueSvid(KeyPairs.generate().getPublic(), ORDERS, NOW, Duration.ofHours(1));

    assertThatThrownBy(
            () -> validate(List.of(leaf, intermediate.certificate()), otherRoot.certificate(), NOW))
        .isInstanceOf(CertPathValidatorException.class);
  }

  @Test
  void aLeafHasTheShapeOfAnX509Svid() throws Exception {
    KeyPair workload = KeyPairs.generate();
    X509Certificate leaf =
        intermediate.issueSvid(workload.getPublic(), ORDERS, NOW, Duration.ofHours(1));

    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(leaf.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
    boolean[] usage = leaf.getKeyUsage();
    assertThat(usage[0]).as("digitalSignature").isTrue();
    assertThat(usage[5]).as("keyCertSign").isFalse();
    assertThat(usage[6]).as("cRLSign").isFalse();
    assertThat(leaf.getExtendedKeyUsage())
        .containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(leaf.getSubjectAlternativeNames())
        .containsExactly(List.of(6, "spiffe://firemesh.local/env/prod/svc/orders"));
    assertThat(leaf.getPublicKey()).isEqualTo(workload.getPublic());
    assertThat(leaf.getSerialNumber().signum()).isPositive();
    assertThat(leaf.getSerialNumber().bitLength()).isGreaterThan(64).isLessThanOrEqualTo(128);
    assertThat(leaf.getNotBefore().toInstant()).isEqualTo(NOW.minus(CertificateIssuer.CLOCK_SKEW));
    assertThat(leaf.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(1)));
    assertThat(leaf.getExtensionValue("2.5.29.35")).as("AKI").isNotNull();
    assertThat(leaf.getExtensionValue("2.5.29.14")).as("SKI").isNotNull();
  }

  @Test
  void serialsDiffer() {
    KeyPair workload = KeyPairs.generate();
    X509Certificate a =
        intermediate.issueSvid(workload.getPublic(), ORDERS, NOW, Duration.ofHours(1));
    X509Certificate b =
        intermediate.issueSvid(workload.getPublic(), ORDERS, NOW, Duration.ofHours(1));

    assertThat(a.getSerialNumber()).isNotEqualTo(b.getSerialNumber());
  }

  @Test
  void caCertificatesCarryPathLengthsAndCertificateSigningUsage() {
    assertThat(root.certificate().getBasicConstraints()).isEqualTo(1);
    assertThat(intermediate.certificate().getBasicConstraints()).isEqualTo(0);
    for (X509Certificate ca : List.of(root.certificate(), intermediate.certificate())) {
      assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
      assertThat(ca.getKeyUsage()[6]).as("cRLSign").isTrue();
      assertThat(ca.getExtensionValue("2.5.29.14")).as("SKI").isNotNull();
    }
    assertThat(intermediate.certificate().getExtensionValue("2.5.29.35")).as("AKI").isNotNull();
  }

  @Test
  void aLeafNeverOutlivesItsIssuer() throws Exception {
    CertificateIssuer shortLived =
        root.intermediate(KeyPairs.generate(), "CN=Short", NOW, Duration.ofMinutes(30));
    X509Certificate leaf =
        shortLived.issueSvid(KeyPairs.generate().getPublic(), ORDERS, NOW, Duration.ofHours(1));

    assertThat(leaf.getNotAfter()).isEqualTo(shortLived.certificate().getNotAfter());
    validate(List.of(leaf, shortLived.certificate()), root.certificate(), NOW.plusSeconds(60));
  }

  @Test
  void anIntermediateNeverOutlivesItsRoot() {
    CertificateIssuer young =
        CertificateIssuer.selfSignedRoot(KeyPairs.generate(), "CN=Young", NOW, Duration.ofDays(2));
    CertificateIssuer under =
        young.intermediate(KeyPairs.generate(), "CN=Under", NOW, Duration.ofDays(365));

    assertThat(under.certificate().getNotAfter()).isEqualTo(young.certificate().getNotAfter());
  }

  @Test
  void anExpiredIssuerRefusesToSign() {
    assertThatThrownBy(
            () ->
                intermediate.issueSvid(
                    KeyPairs.generate().getPublic(),
                    ORDERS,
                    NOW.plus(Duration.ofDays(400)),
                    Duration.ofHours(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("expired");
  }

  @Test
  void aKeyThatDoesNotMatchTheCertificateIsRefused() {
    assertThatThrownBy(
            () ->
                new CertificateIssuer(intermediate.certificate(), KeyPairs.generate().getPrivate()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not belong");
  }

  @Test
  void aLeafCannotBeAnIssuer() {
    KeyPair workload = KeyPairs.generate();
    X509Certificate leaf =
        intermediate.issueSvid(workload.getPublic(), ORDERS, NOW, Duration.ofHours(1));

    assertThatThrownBy(() -> new CertificateIssuer(leaf, workload.getPrivate()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a CA certificate");
  }

  @Test
  void rsaLeavesAlsoAllowKeyEncipherment() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    X509Certificate leaf =
        intermediate.issueSvid(rsa.generateKeyPair().getPublic(), ORDERS, NOW, Duration.ofHours(1));

    assertThat(leaf.getKeyUsage()[0]).isTrue();
    assertThat(leaf.getKeyUsage()[2]).as("keyEncipherment").isTrue();
    validate(List.of(leaf, intermediate.certificate()), root.certificate(), NOW);
  }

  @Test
  void toStringNeverShowsTheKey() {
    assertThat(intermediate.toString()).doesNotContain("Private").contains("Test Intermediate");
  }

  static void validate(List<X509Certificate> chain, X509Certificate anchor, Instant at)
      throws Exception {
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
    parameters.setRevocationEnabled(false);
    parameters.setDate(Date.from(at));
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
  }
}
