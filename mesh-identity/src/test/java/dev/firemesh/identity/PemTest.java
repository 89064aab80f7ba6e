package dev.firemesh.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firemesh.api.identity.SpiffeId;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PemTest {
  private final CertificateIssuer root =
      CertificateIssuer.selfSignedRoot(
          KeyPairs.generate(), "CN=Root", Instant.now(), Duration.ofDays(1));
  private final CertificateIssuer intermediate =
      root.intermediate(KeyPairs.generate(), "CN=Intermediate", Instant.now(), Duration.ofDays(1));

  @Test
  void certificatesRoundTripInOrder() {
    X509Certificate leaf =
        intermediate.issueSvid(
            KeyPairs.generate().getPublic(),
            new SpiffeId("firemesh.local", "prod", "orders"),
            Instant.now(),
            Duration.ofHours(1));
    List<X509Certificate> chain = List.of(leaf, intermediate.certificate(), root.certificate());

    String pem = Pem.encodeCertificates(chain);

    assertThat(pem)
        .startsWith("-----BEGIN CERTIFICATE-----\n")
        .endsWith("-----END CERTIFICATE-----\n");
    assertThat(Pem.decodeCertificates(pem)).containsExactlyElementsOf(chain);
    assertThat(Pem.decodeCertificate(Pem.encodeCertificate(leaf))).isEqualTo(leaf);
  }

  @Test
  void textAroundBlocksIsIgnoredAsOpensslWritesIt() {
    String pem = "subject=CN = Root\n" + Pem.encodeCertificate(root.certificate()) + "trailing\n";

    assertThat(Pem.decodeCertificates(pem)).containsExactly(root.certificate());
  }

  @Test
  void ecAndRsaPrivateKeysRoundTrip() throws Exception {
    KeyPair ec = KeyPairs.generate();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair rsa = generator.generateKeyPair();

    assertThat(Pem.decodePrivateKey(Pem.encodePrivateKey(ec.getPrivate())))
        .isEqualTo(ec.getPrivate());
    assertThat(Pem.decodePrivateKey(Pem.encodePrivateKey(rsa.getPrivate())))
        .isEqualTo(rsa.getPrivate());
  }

  @Test
  void garbageGetsErrorsThatSayWhatWasWrong() {
    assertThatThrownBy(() -> Pem.decodeCertificates("hello"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no CERTIFICATE block");
    assertThatThrownBy(
            () ->
                Pem.decodeCertificates(
                    "-----BEGIN CERTIFICATE-----\n@@@\n-----END CERTIFICATE-----\n"))
        .hasMessageContaining("not valid base64");
    assertThatThrownBy(() -> Pem.decodeCertificates("-----BEGIN CERTIFICATE-----\nAAAA\n"))
        .hasMessageContaining("no '-----END CERTIFICATE-----'");
    assertThatThrownBy(
            () -> Pem.decodeCertificates(Pem.encode("CERTIFICATE", new byte[] {1, 2, 3})))
        .hasMessageContaining("block 1 is not an X.509 certificate");
    assertThatThrownBy(
            () -> Pem.decodeCertificates(Pem.encodePrivateKey(KeyPairs.generate().getPrivate())))
        .hasMessageContaining("block 1 is PRIVATE KEY, expected CERTIFICATE");
    assertThatThrownBy(() -> Pem.decodePrivateKey(Pem.encodeCertificate(root.certificate())))
        .hasMessageContaining("expected a PRIVATE KEY block, found CERTIFICATE");
    assertThatThrownBy(() -> Pem.decodePrivateKey(Pem.encode("PRIVATE KEY", new byte[] {5, 6})))
        .hasMessageContaining("not a PKCS#8 EC or RSA private key");
    assertThatThrownBy(
            () ->
                Pem.decodeCertificate(
                    Pem.encodeCertificates(
                        List.of(root.certificate(), intermediate.certificate()))))
        .hasMessageContaining("expected one CERTIFICATE block, found 2");
  }
}
