package dev.firemesh.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firemesh.api.identity.SpiffeId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SvidFilesTest {
  private static final SpiffeId QUOTES = new SpiffeId("bank.example", "prod", "quotes");
  private static final CertificateIssuer ROOT =
      CertificateIssuer.selfSignedRoot(
          KeyPairs.generate(), "CN=Root", Instant.now(), Duration.ofDays(1));

  @TempDir Path dir;

  private static WorkloadCredentials credentials() {
    KeyPair keys = KeyPairs.generate();
    return new WorkloadCredentials(
        QUOTES,
        keys.getPrivate(),
        List.of(ROOT.issueSvid(keys.getPublic(), QUOTES, Instant.now(), Duration.ofHours(1))),
        List.of(ROOT.certificate()));
  }

  private WorkloadCredentials readBack() throws Exception {
    return SvidFiles.read(
        dir.resolve(SvidFiles.CHAIN), dir.resolve(SvidFiles.KEY), dir.resolve(SvidFiles.BUNDLE));
  }

  @Test
  void whatIsWrittenReadsBackWithTheKeyReadableByItsOwnerOnly() throws Exception {
    WorkloadCredentials written = credentials();
    SvidFiles.write(dir, written);

    WorkloadCredentials read = readBack();
    assertThat(read.identity()).isEqualTo(QUOTES);
    assertThat(read.chain()).isEqualTo(written.chain());
    assertThat(read.trustBundle()).isEqualTo(written.trustBundle());
    assertThat(read.privateKey().getEncoded()).isEqualTo(written.privateKey().getEncoded());
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("svid-key.pem"))))
        .isEqualTo("rw-------");
    assertThat(dir).isDirectoryNotContaining("glob:**.tmp");
  }

  @Test
  void aRenewalRewritesTheFilesInPlace() throws Exception {
    SvidFiles.write(dir, credentials());
    WorkloadCredentials renewed = credentials();
    SvidFiles.write(dir, renewed);

    assertThat(readBack().leaf()).isEqualTo(renewed.leaf());
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefusedNamingTheFile() throws Exception {
    SvidFiles.write(dir, credentials());
    Files.writeString(
        dir.resolve(SvidFiles.KEY), Pem.encodePrivateKey(KeyPairs.generate().getPrivate()));

    assertThatThrownBy(this::readBack)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("svid-key.pem")
        .hasMessageContaining("not the one certified");
  }

  @Test
  void aFileThatIsNotPemIsRefusedNamingTheFile() throws Exception {
    SvidFiles.write(dir, credentials());
    Files.writeString(dir.resolve(SvidFiles.BUNDLE), "not a certificate\n");

    assertThatThrownBy(this::readBack)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bundle.pem");
  }
}
