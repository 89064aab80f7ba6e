package dev.firemesh.workload.admin;

import dev.firemesh.identity.BundleTrust;
import dev.firemesh.identity.Pem;
import dev.firemesh.identity.WorkloadCredentials;
import dev.firemesh.identity.WorkloadSslContext;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * TLS to the admin API: trust in the mesh's roots only (never the JDK's {@code cacerts}, never
 * none), the server checked by host name as every HTTPS client does, and optionally a client
 * certificate (an operator's, or a workload's SVID).
 */
public final class ClientTls {
  private final Supplier<SSLContext> context;

  private ClientTls(Supplier<SSLContext> context) {
    this.context = context;
  }

  /**
   * Presents a workload's current SVID and trusts its current bundle, whatever renewals and
   * rotations have changed since: each connection uses the credentials of the moment.
   */
  public static ClientTls following(Supplier<WorkloadCredentials> credentials) {
    SSLContext context = WorkloadSslContext.following(credentials);
    return new ClientTls(() -> context);
  }

  /** Trusts {@code roots}; presents {@code chain} (leaf first) with {@code key} if given. */
  public static ClientTls of(
      List<X509Certificate> roots, Optional<PrivateKey> key, List<X509Certificate> chain) {
    TrustManager trust = BundleTrust.pkix(roots);
    try {
      KeyManagerFactory keyManagers = null;
      if (key.isPresent()) {
        char[] password = new char[0];
        KeyStore own = KeyStore.getInstance("PKCS12");
        own.load(null, null);
        own.setKeyEntry("client", key.get(), password, chain.toArray(X509Certificate[]::new));
        keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(own, password);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          keyManagers == null ? null : keyManagers.getKeyManagers(),
          new TrustManager[] {trust},
          null);
      return new ClientTls(() -> context);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up TLS for the admin API: " + e, e);
    }
  }

  /**
   * Trusts the roots in {@code bundle} (PEM), presenting the certificate chain and PKCS#8 key in
   * {@code certificate} and {@code key} if both are given.
   *
   * @throws IOException if a file cannot be read
   * @throws IllegalArgumentException if a file is not what it should be, saying which
   */
  public static ClientTls load(Path bundle, Optional<Path> certificate, Optional<Path> key)
      throws IOException {
    List<X509Certificate> roots = pem(bundle, Pem::decodeCertificates);
    if (certificate.isPresent() != key.isPresent()) {
      throw new IllegalArgumentException(
          "a client certificate needs both --client-cert and --client-key");
    }
    if (certificate.isEmpty()) {
      return of(roots, Optional.empty(), List.of());
    }
    return of(
        roots,
        Optional.of(pem(key.get(), Pem::decodePrivateKey)),
        pem(certificate.get(), Pem::decodeCertificates));
  }

  private static <T> T pem(Path file, Function<String, T> decode) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    try {
      return decode.apply(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Layers TLS over a connected socket to {@code host} and completes the handshake, checking that
   * the server's certificate names {@code host}.
   */
  SSLSocket wrap(Socket socket, String host, int port) throws IOException {
    SSLSocket tls =
        (SSLSocket) context.get().getSocketFactory().createSocket(socket, host, port, true);
    SSLParameters parameters = tls.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
    tls.setSSLParameters(parameters);
    tls.startHandshake();
    return tls;
  }
}
