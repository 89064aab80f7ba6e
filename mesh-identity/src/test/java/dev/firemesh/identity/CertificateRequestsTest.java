package dev.firemesh.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.identity.CertificateRequestRefused.Reason;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

class CertificateRequestsTest {
  private static final SpiffeId ORDERS = new SpiffeId("firemesh.local", "prod", "orders");

  @Test
  void aRequestRoundTripsItsKeyAndIdentity() throws Exception {
    KeyPair keys = KeyPairs.generate();

    CertificateRequests.CertificateRequest request =
        CertificateRequests.read(CertificateRequests.create(keys, ORDERS));

    assertThat(request.identity()).isEqualTo(ORDERS);
    assertThat(request.publicKey()).isEqualTo(keys.getPublic());
  }

  @Test
  void p384AndRsa2048KeysAreAccepted() throws Exception {
    KeyPair p384 = KeyPairs.generateP384();
    assertThat(CertificateRequests.read(CertificateRequests.create(p384, ORDERS)).publicKey())
        .isEqualTo(p384.getPublic());
    KeyPair rsa = rsa(2048);
    assertThat(CertificateRequests.read(CertificateRequests.create(rsa, ORDERS)).publicKey())
        .isEqualTo(rsa.getPublic());
  }

  @Test
  void aRequestThatSurvivesPemIsTheSame() throws Exception {
    byte[] der = CertificateRequests.create(KeyPairs.generate(), ORDERS);

    assertThat(Pem.decodeCertificateRequest(Pem.encodeCertificateRequest(der))).isEqualTo(der);
  }

  @Test
  void aTamperedSignatureIsRefused() {
    byte[] der = CertificateRequests.create(KeyPairs.generate(), ORDERS);
    der[der.length - 5] ^= 0x01;

    assertRefused(der, Reason.BAD_SIGNATURE);
  }

  @Test
  void aRequestSignedByAnotherKeyIsRefused() throws Exception {
    KeyPair claimed = KeyPairs.generate();
    KeyPair signer = KeyPairs.generate();
    byte[] der =
        new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=x"), claimed.getPublic())
            .addAttribute(
                PKCSObjectIdentifiers.pkcs_9_at_extensionRequest,
                extensionRequest(uri(ORDERS.toString())))
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate()))
            .getEncoded();

    assertRefused(der, Reason.BAD_SIGNATURE);
  }

  @Test
  void garbageIsMalformed() {
    assertRefused(new byte[] {1, 2, 3}, Reason.MALFORMED);
  }

  @Test
  void noSanIsRefused() throws Exception {
    assertRefused(build(KeyPairs.generate(), null), Reason.BAD_IDENTITY);
  }

  @Test
  void severalUriSansAreRefused() throws Exception {
    assertRefused(
        build(
            KeyPairs.generate(),
            sans(uri(ORDERS.toString()), uri("spiffe://firemesh.local/env/prod/svc/risk"))),
        Reason.BAD_IDENTITY);
  }

  @Test
  void aUriThatIsNotAMeshSpiffeIdIsRefused() throws Exception {
    for (String uri :
        new String[] {
          "https://orders.example", "spiffe://firemesh.local/ns/prod/sa/orders",
          "spiffe://firemesh.local/env/prod/svc/orders/",
              "spiffe://firemesh.local/env/prod/svc/../orders"
        }) {
      assertRefused(build(KeyPairs.generate(), sans(uri(uri))), Reason.BAD_IDENTITY);
    }
  }

  @Test
  void anyOtherSanTypeIsRefused() throws Exception {
    assertRefused(
        build(KeyPairs.generate(), sans(new GeneralName(GeneralName.dNSName, "orders.local"))),
        Reason.BAD_IDENTITY);
    assertRefused(
        build(
            KeyPairs.generate(),
            sans(uri(ORDERS.toString()), new GeneralName(GeneralName.dNSName, "orders.local"))),
        Reason.BAD_IDENTITY);
  }

  @Test
  void weakRsaKeysAreRefused() throws Exception {
    assertRefused(CertificateRequests.create(rsa(1024), ORDERS), Reason.WEAK_KEY);
  }

  @Test
  void otherCurvesAreRefused() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp521r1"));
    KeyPair p521 = generator.generateKeyPair();
    byte[] der =
        new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=x"), p521.getPublic())
            .addAttribute(
                PKCSObjectIdentifiers.pkcs_9_at_extensionRequest,
                extensionRequest(uri(ORDERS.toString())))
            .build(new JcaContentSignerBuilder("SHA512withECDSA").build(p521.getPrivate()))
            .getEncoded();

    assertRefused(der, Reason.WEAK_KEY);
  }

  @Test
  void otherKeyAlgorithmsAreRefused() throws Exception {
    KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] der =
        new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=x"), ed.getPublic())
            .addAttribute(
                PKCSObjectIdentifiers.pkcs_9_at_extensionRequest,
                extensionRequest(uri(ORDERS.toString())))
            .build(new JcaContentSignerBuilder("Ed25519").build(ed.getPrivate()))
            .getEncoded();

    assertRefused(der, Reason.WEAK_KEY);
  }

  @Test
  void aProofVerifiesOnlyWithTheKeyThatMadeIt() {
    KeyPair current = KeyPairs.generate();
    byte[] csr = CertificateRequests.create(KeyPairs.generate(), ORDERS);
    byte[] proof = PossessionProof.sign(current.getPrivate(), csr);

    assertThat(PossessionProof.verify(current.getPublic(), csr, proof)).isTrue();
    assertThat(PossessionProof.verify(KeyPairs.generate().getPublic(), csr, proof)).isFalse();
    byte[] otherCsr = CertificateRequests.create(KeyPairs.generate(), ORDERS);
    assertThat(PossessionProof.verify(current.getPublic(), otherCsr, proof)).isFalse();
    assertThat(PossessionProof.verify(current.getPublic(), csr, new byte[] {1, 2})).isFalse();
  }

  private static void assertRefused(byte[] der, Reason reason) {
    assertThatThrownBy(() -> CertificateRequests.read(der))
        .isInstanceOf(CertificateRequestRefused.class)
        .satisfies(e -> assertThat(((CertificateRequestRefused) e).reason()).isEqualTo(reason));
  }

  private static byte[] build(KeyPair keys, GeneralNames names) throws Exception {
    JcaPKCS10CertificationRequestBuilder builder =
        new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=x"), keys.getPublic());
    if (names != null) {
      builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, sansExtensions(names));
    }
    return builder
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
        .getEncoded();
  }

  private static GeneralName uri(String uri) {
    return new GeneralName(GeneralName.uniformResourceIdentifier, uri);
  }

  private static GeneralNames sans(GeneralName... names) {
    return new GeneralNames(names);
  }

  private static Extensions extensionRequest(GeneralName name) throws Exception {
    return sansExtensions(new GeneralNames(name));
  }

  private static Extensions sansExtensions(GeneralNames names) throws Exception {
    ExtensionsGenerator generator = new ExtensionsGenerator();
    generator.addExtension(Extension.subjectAlternativeName, false, names);
    return generator.generate();
  }

  private static KeyPair rsa(int bits) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(bits);
    return generator.generateKeyPair();
  }
}
