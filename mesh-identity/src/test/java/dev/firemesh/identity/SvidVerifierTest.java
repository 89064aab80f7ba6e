package dev.firemesh.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.identity.SvidRejectedException.Reason;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SvidVerifierTest {
  private static final SpiffeId ORDERS = new SpiffeId("bank.example", "prod", "orders");
  private static final Duration DAY = Duration.ofDays(1);

  private static CertificateIssuer root;
  private static CertificateIssuer intermediate;
  private static SvidVerifier verifier;

  @BeforeAll
  static void pki() {
    // Backdated, so that leaves which expired an hour ago can still be issued under it.
    Instant past = Instant.now().minus(Duration.ofHours(3));
    root = CertificateIssuer.selfSignedRoot(KeyPairs.generate(), "CN=Root,O=Bank", past, DAY);
    intermediate = root.intermediate(KeyPairs.generate(), "CN=Intermediate,O=Bank", past, DAY);
    verifier = new SvidVerifier("bank.example", List.of(root.certificate()));
  }

  private static X509Certificate svid(CertificateIssuer issuer, SpiffeId id) {
    return issuer.issueSvid(
        KeyPairs.generate().getPublic(), id, Instant.now(), Duration.ofHours(1));
  }

  @Test
  void aLeafUnderAnIntermediateProvesItsSpiffeId() throws Exception {
    X509Certificate leaf = svid(intermediate, ORDERS);
    assertThat(verifier.verify(List.of(leaf, intermediate.certificate()), Instant.now()))
        .isEqualTo(ORDERS);
  }

  @Test
  void theRootMayBeSentWithTheChain() throws Exception {
    List<X509Certificate> chain =
        List.of(svid(intermediate, ORDERS), intermediate.certificate(), root.certificate());
    assertThat(verifier.verify(chain, Instant.now())).isEqualTo(ORDERS);
  }

  @Test
  void anyRootOfTheBundleIsTrustedDuringARotation() throws Exception {
    CertificateIssuer newRoot =
        CertificateIssuer.selfSignedRoot(KeyPairs.generate(), "CN=Root 2", Instant.now(), DAY);
    SvidVerifier both =
        new SvidVerifier("bank.example", List.of(root.certificate(), newRoot.certificate()));
    assertThat(both.verify(List.of(svid(newRoot, ORDERS)), Instant.now())).isEqualTo(ORDERS);
    assertThat(both.verify(List.of(svid(root, ORDERS)), Instant.now())).isEqualTo(ORDERS);
  }

  @Test
  void aMissingIntermediateLeavesTheLeafUntrusted() {
    assertRejected(List.of(svid(intermediate, ORDERS)), Instant.now(), Reason.UNTRUSTED);
  }

  @Test
  void aSelfSignedChainIsUntrusted() {
    CertificateIssuer self =
        CertificateIssuer.selfSignedRoot(KeyPairs.generate(), "CN=Root,O=Bank", Instant.now(), DAY);
    assertRejected(
        List.of(svid(self, ORDERS), self.certificate()), Instant.now(), Reason.UNTRUSTED);
  }

  @Test
  void anotherCaOfTheSameNameIsUntrusted() {
    CertificateIssuer impostor =
        CertificateIssuer.selfSignedRoot(KeyPairs.generate(), "CN=Root,O=Bank", Instant.now(), DAY);
    assertRejected(List.of(svid(impostor, ORDERS)), Instant.now(), Reason.UNTRUSTED);
  }

  @Test
  void expiredAndNotYetValidAreToldApart() {
    Instant now = Instant.now();
    X509Certificate expired =
        root.issueSvid(
            KeyPairs.generate().getPublic(),
            ORDERS,
            now.minus(Duration.ofHours(2)),
            Duration.ofHours(1));
    assertRejected(List.of(expired), now, Reason.EXPIRED);

    X509Certificate leaf = svid(root, ORDERS);
    assertRejected(List.of(leaf), now.minus(Duration.ofHours(1)), Reason.NOT_YET_VALID);
  }

  @Test
  void theInstantOfTheCheckIsTheOneGiven() throws Exception {
    X509Certificate leaf = svid(root, ORDERS);
    assertThat(verifier.verify(List.of(leaf), Instant.now())).isEqualTo(ORDERS);
    assertRejected(List.of(leaf), Instant.now().plus(Duration.ofHours(2)), Reason.EXPIRED);
  }

  @Test
  void aLeafWithoutAMeshSpiffeIdProvesNothing() throws Exception {
    assertRejected(List.of(leaf(root, List.of(), false)), Instant.now(), Reason.NO_SPIFFE_ID);
    assertRejected(
        List.of(leaf(root, List.of("spiffe://bank.example/orders"), false)),
        Instant.now(),
        Reason.NO_SPIFFE_ID);
    assertRejected(
        List.of(leaf(root, List.of("https://bank.example/env/prod/svc/orders"), false)),
        Instant.now(),
        Reason.NO_SPIFFE_ID);
  }

  @Test
  void anotherTrustDomainIsRefusedEvenUnderOurRoot() {
    X509Certificate leaf = svid(root, new SpiffeId("other.example", "prod", "orders"));
    assertRejected(List.of(leaf), Instant.now(), Reason.WRONG_TRUST_DOMAIN);
  }

  @Test
  void twoUriSansOrACaLeafAreMalformed() throws Exception {
    assertRejected(
        List.of(
            leaf(
                root,
                List.of(ORDERS.toString(), "spiffe://bank.example/env/prod/svc/risk"),
                false)),
        Instant.now(),
        Reason.MALFORMED);
    assertRejected(
        List.of(leaf(root, List.of(ORDERS.toString()), true)), Instant.now(), Reason.MALFORMED);
    assertRejected(List.of(), Instant.now(), Reason.MALFORMED);
  }

  @Test
  void theVerifierOfCredentialsUsesTheirDomainAndBundle() throws Exception {
    KeyPair keys = KeyPairs.generate();
    X509Certificate leaf =
        intermediate.issueSvid(keys.getPublic(), ORDERS, Instant.now(), Duration.ofHours(1));
    WorkloadCredentials credentials =
        new WorkloadCredentials(
            ORDERS,
            keys.getPrivate(),
            List.of(leaf, intermediate.certificate()),
            List.of(root.certificate()));
    SvidVerifier own = SvidVerifier.of(credentials);
    assertThat(own.trustDomain()).isEqualTo("bank.example");
    assertThat(own.verify(credentials.chain(), Instant.now())).isEqualTo(ORDERS);
    assertThat(SvidVerifier.identityOf(leaf)).isEqualTo(ORDERS);
  }

  private static void assertRejected(List<X509Certificate> chain, Instant at, Reason reason) {
    assertThatThrownBy(() -> verifier.verify(chain, at))
        .isInstanceOfSatisfying(
            SvidRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageNotContaining("null");
  }

  /**
   * A leaf the mesh's issuer would never sign (no SPIFFE ID, two, or CA:true), signed by {@code
   * issuer} all the same, as a broken or hostile CA might.
   */
  private static X509Certificate leaf(CertificateIssuer issuer, List<String> uris, boolean ca)
      throws Exception {
    Instant now = Instant.now();
    var builder =
        new JcaX509v3CertificateBuilder(
            issuer.certificate(),
            BigInteger.valueOf(now.toEpochMilli()),
            Date.from(now.minusSeconds(60)),
            Date.from(now.plusSeconds(3600)),
            new X500Name("O=Bank"),
            KeyPairs.generate().getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    if (!uris.isEmpty()) {
      builder.addExtension(
          Extension.subjectAlternativeName,
          true,
          new GeneralNames(
              uris.stream()
                  .map(uri -> new GeneralName(GeneralName.uniformResourceIdentifier, uri))
                  .toArray(GeneralName[]::new)));
    }
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.privateKey());
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }
}
