package dev.firemesh.xds.server;

import dev.firemesh.identity.BundleTrust;
import dev.firemesh.identity.CertificateIssuer;
import dev.firemesh.identity.KeyPairs;
import dev.firemesh.identity.SvidVerifier;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The control plane's side of TLS in tests: a server certificate for the loopback address (valid an
 * hour), and clients checked by PKIX against a root. Shared by this module's tests, the chassis's
 * and mesh-it's through the test jar.
 */
public final class ControlPlaneTls {
  private static final Duration VALIDITY = Duration.ofHours(1);

  private ControlPlaneTls() {}

  /**
   * An xDS server's authentication: it speaks TLS with {@link #serverContext} and takes each node's
   * identity from its SVID, which must chain to {@code root} in {@code trustDomain}.
   */
  public static NodeAuthentication nodeAuthentication(
      CertificateIssuer issuer, X509Certificate root, String trustDomain)
      throws GeneralSecurityException, java.io.IOException {
    return new NodeAuthentication(
        serverContext(issuer, root),
        chain -> new SvidVerifier(trustDomain, List.of(root)).verify(chain, Instant.now()));
  }

  /**
   * @param issuer issues the server certificate, which is sent chained to the issuer's own
   * @param clientRoot the root that clients' certificates must chain to
   */
  public static SSLContext serverContext(CertificateIssuer issuer, X509Certificate clientRoot)
      throws GeneralSecurityException, java.io.IOException {
    KeyPair keys = KeyPairs.generate();
    X509Certificate server =
        issuer.issueServerCertificate(
            keys.getPublic(),
            List.of("localhost"),
            List.of(InetAddress.getLoopbackAddress()),
            Instant.now(),
            VALIDITY);
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    char[] password = new char[0];
    store.setKeyEntry(
        "server",
        keys.getPrivate(),
        password,
        new X509Certificate[] {server, issuer.certificate()});
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("PKIX");
    keyManagers.init(store, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(
        keyManagers.getKeyManagers(),
        new TrustManager[] {BundleTrust.pkix(List.of(clientRoot))},
        null);
    return context;
  }
}
