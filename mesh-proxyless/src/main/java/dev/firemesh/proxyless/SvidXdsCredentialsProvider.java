package dev.firemesh.proxyless;

import dev.firemesh.identity.WorkloadSslContext;
import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.xds.XdsCredentialsProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code tls} channel credentials of an xDS bootstrap, with the configuration gRFC A65 gives
 * them: {@code certificate_file}, {@code private_key_file} and {@code ca_certificate_file}.
 * grpc-java 1.85's own {@code tls} credentials ignore that configuration (server authentication
 * against the JDK's roots only); this provider, found by {@link java.util.ServiceLoader} and ranked
 * above it, presents the workload's SVID and trusts the mesh's bundle, re-reading the files as they
 * are renewed:
 *
 * <pre>{@code
 * "channel_creds": [{"type": "tls", "config": {
 *     "certificate_file": "/run/firemesh/svid.pem",
 *     "private_key_file": "/run/firemesh/svid-key.pem",
 *     "ca_certificate_file": "/run/firemesh/bundle.pem"}}]
 * }</pre>
 *
 * <p>A configuration without the three files is refused (the provider returns no credentials and
 * gRPC reports the bootstrap as invalid) rather than quietly falling back to a connection without a
 * client certificate, which the control plane would refuse anyway.
 */
public final class SvidXdsCredentialsProvider extends XdsCredentialsProvider {
  static final String CERTIFICATE_FILE = "certificate_file";
  static final String PRIVATE_KEY_FILE = "private_key_file";
  static final String CA_CERTIFICATE_FILE = "ca_certificate_file";
  static final String REFRESH_INTERVAL = "refresh_interval";
  private static final Duration DEFAULT_REFRESH = Duration.ofSeconds(1);

  @Override
  protected ChannelCredentials newChannelCredentials(Map<String, ?> config) {
    if (config == null
        || !(config.get(CERTIFICATE_FILE) instanceof String chain)
        || !(config.get(PRIVATE_KEY_FILE) instanceof String key)
        || !(config.get(CA_CERTIFICATE_FILE) instanceof String bundle)) {
      return null;
    }
    WatchedSvidFiles files =
        new WatchedSvidFiles(Path.of(chain), Path.of(key), Path.of(bundle), refresh(config));
    files.get(); // unreadable files: fail now, naming the file, not at the first handshake
    WorkloadSslContext.Managers managers = WorkloadSslContext.managers(files);
    return TlsChannelCredentials.newBuilder()
        .keyManager(managers.key())
        .trustManager(managers.trust())
        .build();
  }

  private static Duration refresh(Map<String, ?> config) {
    // A65 spells it as a protobuf Duration in JSON: "600s", "1.5s".
    if (config.get(REFRESH_INTERVAL) instanceof String text && text.endsWith("s")) {
      try {
        return Duration.ofMillis(
            (long) (Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            REFRESH_INTERVAL + ": expected a duration such as \"10s\", got \"" + text + "\"", e);
      }
    }
    return DEFAULT_REFRESH;
  }

  @Override
  protected String getName() {
    return "tls";
  }

  @Override
  public boolean isAvailable() {
    return true;
  }

  /** Above grpc-xds's own {@code tls} provider (5), so that the bootstrap's files are honoured. */
  @Override
  public int priority() {
    return 10;
  }
}
