package dev.firemesh.proxyless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.identity.CertificateIssuer;
import dev.firemesh.identity.KeyPairs;
import dev.firemesh.identity.Pem;
import dev.firemesh.identity.SvidFiles;
import dev.firemesh.identity.WorkloadCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.xds.XdsCredentialsProvider;
import io.grpc.xds.internal.TlsXdsCredentialsProvider;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SvidXdsCredentialsProviderTest {
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

  private Map<String, Object> config() {
    return Map.of(
        "certificate_file", dir.resolve(SvidFiles.CHAIN).toString(),
        "private_key_file", dir.resolve(SvidFiles.KEY).toString(),
        "ca_certificate_file", dir.resolve(SvidFiles.BUNDLE).toString());
  }

  @Test
  void grpcFindsItAndRanksItAboveItsOwnTlsProvider() {
    List<XdsCredentialsProvider> found =
        ServiceLoader.load(XdsCredentialsProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .toList();
    XdsCredentialsProvider ours =
        found.stream()
            .filter(SvidXdsCredentialsProvider.class::isInstance)
            .findFirst()
            .orElseThrow();
    XdsCredentialsProvider grpcs =
        found.stream()
            .filter(TlsXdsCredentialsProvider.class::isInstance)
            .findFirst()
            .orElseThrow();

    assertThat(((SvidXdsCredentialsProvider) ours).getName()).isEqualTo("tls");
    assertThat(ours.priority()).isGreaterThan(grpcs.priority());
  }

  @Test
  void theBootstrapsFilesBecomeCredentialsWithAClientCertificate() throws Exception {
    SvidFiles.write(dir, credentials());

    var credentials = new SvidXdsCredentialsProvider().newChannelCredentials(config());

    assertThat(credentials).isInstanceOf(TlsChannelCredentials.class);
    TlsChannelCredentials tls = (TlsChannelCredentials) credentials;
    assertThat(tls.getKeyManagers()).hasSize(1);
    assertThat(tls.getTrustManagers()).hasSize(1);
  }

  @Test
  void aConfigurationWithoutTheFilesGivesNoCredentials() {
    assertThat(new SvidXdsCredentialsProvider().newChannelCredentials(Map.of())).isNull();
    assertThat(new SvidXdsCredentialsProvider().newChannelCredentials(null)).isNull();
  }

  @Test
  void missingFilesFailAtOnceNamingTheFile() {
    assertThatThrownBy(() -> new SvidXdsCredentialsProvider().newChannelCredentials(config()))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("svid.pem");
  }

  @Test
  void renewedFilesAreReadAndAHalfWrittenRenewalKeepsTheLastGoodOnes() throws Exception {
    WorkloadCredentials first = credentials();
    SvidFiles.write(dir, first);
    WatchedSvidFiles files =
        new WatchedSvidFiles(
            dir.resolve(SvidFiles.CHAIN),
            dir.resolve(SvidFiles.KEY),
            dir.resolve(SvidFiles.BUNDLE),
            Duration.ZERO);
    assertThat(files.get().leaf()).isEqualTo(first.leaf());

    // A new key without its certificate yet: the pair does not match, the old one stays.
    WorkloadCredentials renewed = credentials();
    Files.writeString(dir.resolve(SvidFiles.KEY), Pem.encodePrivateKey(renewed.privateKey()));
    touch(dir.resolve(SvidFiles.KEY));
    assertThat(files.get().leaf()).isEqualTo(first.leaf());

    SvidFiles.write(dir, renewed);
    touch(dir.resolve(SvidFiles.CHAIN));
    assertThat(files.get().leaf()).isEqualTo(renewed.leaf());
  }

  @Test
  void aMalformedRefreshIntervalIsRefusedNamingTheField() throws Exception {
    SvidFiles.write(dir, credentials());
    Map<String, Object> config = new HashMap<>(config());
    config.put("refresh_interval", "soons");

    assertThatThrownBy(() -> new SvidXdsCredentialsProvider().newChannelCredentials(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refresh_interval");
  }

  /** Modification times can be coarse: make each change visible whatever the file system. */
  private static void touch(Path file) throws Exception {
    Files.setLastModifiedTime(
        file, FileTime.from(Files.getLastModifiedTime(file).toInstant().plusSeconds(1)));
  }
}
