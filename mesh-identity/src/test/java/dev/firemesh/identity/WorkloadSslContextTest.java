package dev.firemesh.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firemesh.api.identity.SpiffeId;
import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real TLS handshakes on loopback between a server that requires a client certificate and the
 * workload's context: it presents the SVID of the moment and checks the server by PKIX and name.
 */
class WorkloadSslContextTest {
  private static final SpiffeId RISK = new SpiffeId("bank.example", "prod", "risk");
  private static final Duration HOUR = Duration.ofHours(1);
  private static final CertificateIssuer ROOT =
      CertificateIssuer.selfSignedRoot(
          KeyPairs.generate(), "CN=Root", Instant.now(), Duration.ofDays(1));

  private final ExecutorService acceptor = Executors.newVirtualThreadPerTaskExecutor();
  private SSLServerSocket server;

  @BeforeEach
  void listen() throws Exception {
    server = listen(ROOT);
  }

  @AfterEach
  void close() throws Exception {
    server.close();
    acceptor.shutdownNow();
  }

  /**
   * Also: the second connection does not resume the first one's session, which would carry the old
   * certificate past the renewal.
   */
  @Test
  void eachHandshakePresentsTheSvidHeldAtThatMoment() throws Exception {
    AtomicReference<WorkloadCredentials> held = new AtomicReference<>(credentials(ROOT));
    SSLContext context = WorkloadSslContext.following(held::get);

    assertThat(handshake(context, "127.0.0.1")).isEqualTo(held.get().leaf());
    WorkloadCredentials renewed = credentials(ROOT);
    held.set(renewed);
    assertThat(handshake(context, "127.0.0.1")).isEqualTo(renewed.leaf());
  }

  @Test
  void aServerWhoseCertificateDoesNotChainToTheBundleIsRefused() throws Exception {
    server.close();
    CertificateIssuer stranger =
        CertificateIssuer.selfSignedRoot(
            KeyPairs.generate(), "CN=Root", Instant.now(), Duration.ofDays(1));
    server = listen(stranger);
    SSLContext context = WorkloadSslContext.following(() -> credentials(ROOT));

    assertThatThrownBy(() -> handshake(context, "127.0.0.1"))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void aServerCertificateForAnotherNameIsRefused() {
    SSLContext context = WorkloadSslContext.following(() -> credentials(ROOT));

    // The server's certificate names localhost and 127.0.0.1, not this name.
    assertThatThrownBy(() -> handshake(context, "orders.bank.example"))
        .isInstanceOf(SSLHandshakeException.class);
  }

  private static WorkloadCredentials credentials(CertificateIssuer issuer) {
    KeyPair keys = KeyPairs.generate();
    return new WorkloadCredentials(
        RISK,
        keys.getPrivate(),
        List.of(issuer.issueSvid(keys.getPublic(), RISK, Instant.now(), HOUR)),
        List.of(ROOT.certificate()));
  }

  /** Handshakes as a client dialling {@code host}; returns the certificate the server saw. */
  private X509Certificate handshake(SSLContext context, String host) throws Exception {
    Future<X509Certificate> seen =
        acceptor.submit(
            () -> {
              try (SSLSocket accepted = (SSLSocket) server.accept()) {
                accepted.startHandshake();
                // A byte to read makes the client take the session ticket too: the next
                // connection could then resume this session instead of handshaking afresh.
                accepted.getOutputStream().write(1);
                accepted.getOutputStream().flush();
                X509Certificate peer =
                    (X509Certificate) accepted.getSession().getPeerCertificates()[0];
                accepted.getInputStream().read();
                return peer;
              }
            });
    Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
    try (SSLSocket client =
        (SSLSocket)
            context.getSocketFactory().createSocket(plain, host, server.getLocalPort(), true)) {
      SSLParameters parameters = client.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      client.setSSLParameters(parameters);
      client.startHandshake();
      client.getInputStream().read();
      client.getOutputStream().write(1);
      client.getOutputStream().flush();
      return seen.get();
    }
  }

  private static SSLServerSocket listen(CertificateIssuer issuer) throws Exception {
    KeyPair keys = KeyPairs.generate();
    X509Certificate certificate =
        issuer.issueServerCertificate(
            keys.getPublic(),
            List.of("localhost"),
            List.of(InetAddress.getLoopbackAddress()),
            Instant.now(),
            HOUR);
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    char[] password = new char[0];
    store.setKeyEntry("server", keys.getPrivate(), password, new X509Certificate[] {certificate});
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("PKIX");
    keyManagers.init(store, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(
        keyManagers.getKeyManagers(),
        new TrustManager[] {BundleTrust.pkix(List.of(ROOT.certificate()))},
        null);
    SSLServerSocket socket =
        (SSLServerSocket)
            context
                .getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    socket.setNeedClientAuth(true);
    return socket;
  }
}
