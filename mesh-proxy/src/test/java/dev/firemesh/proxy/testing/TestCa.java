package dev.firemesh.proxy.testing;

import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.identity.CertificateIssuer;
import dev.firemesh.identity.KeyPairs;
import dev.firemesh.identity.WorkloadCredentials;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** A mesh certificate authority for tests: a root, an intermediate, SVIDs for any service. */
public final class TestCa {
  public static final String TRUST_DOMAIN = "bank.example";

  private final CertificateIssuer root;
  private final CertificateIssuer intermediate;

  public TestCa() {
    // Backdated, so that SVIDs which expired an hour ago can be issued too.
    Instant past = Instant.now().minus(Duration.ofHours(3));
    root =
        CertificateIssuer.selfSignedRoot(
            KeyPairs.generate(), "CN=Test Root,O=FireMesh", past, Duration.ofDays(2));
    intermediate =
        root.intermediate(
            KeyPairs.generate(), "CN=Test Intermediate,O=FireMesh", past, Duration.ofDays(2));
  }

  public static SpiffeId id(String service) {
    return new SpiffeId(TRUST_DOMAIN, "test", service);
  }

  public X509Certificate root() {
    return root.certificate();
  }

  /** An SVID for {@code service}, valid for an hour, under the intermediate. */
  public WorkloadCredentials credentials(String service) {
    return credentials(id(service), Instant.now(), Duration.ofHours(1));
  }

  public WorkloadCredentials credentials(SpiffeId id, Instant now, Duration ttl) {
    KeyPair keys = KeyPairs.generate();
    X509Certificate leaf = intermediate.issueSvid(keys.getPublic(), id, now, ttl);
    return new WorkloadCredentials(
        id, keys.getPrivate(), List.of(leaf, intermediate.certificate()), List.of(root()));
  }

  /**
   * A TLS client socket to {@code address} presenting {@code credentials}' chain and trusting any
   * server, its handshake done: what a peer that is not a sidecar can send.
   */
  public static SSLSocket connect(InetSocketAddress address, WorkloadCredentials credentials)
      throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(
        "svid",
        credentials.privateKey(),
        new char[0],
        credentials.chain().toArray(X509Certificate[]::new));
    KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
    keys.init(store, new char[0]);
    SSLSocket socket = socket(address, keys);
    socket.startHandshake();
    return socket;
  }

  /** A TLS client socket to {@code address} that presents no certificate; not yet shaken hands. */
  public static SSLSocket withoutCertificate(InetSocketAddress address) throws Exception {
    return socket(address, null);
  }

  private static SSLSocket socket(InetSocketAddress address, KeyManagerFactory keys)
      throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(
        keys == null ? null : keys.getKeyManagers(),
        new TrustManager[] {new TrustAnything()},
        new SecureRandom());
    SSLSocket socket =
        (SSLSocket)
            context.getSocketFactory().createSocket(address.getAddress(), address.getPort());
    socket.setSoTimeout(5_000);
    return socket;
  }

  private static final class TrustAnything implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
