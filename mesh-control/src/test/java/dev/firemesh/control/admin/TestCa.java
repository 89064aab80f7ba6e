package dev.firemesh.control.admin;

import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.identity.CertificateIssuer;
import dev.firemesh.identity.KeyPairs;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway mesh CA in memory (root and intermediate, as the control plane makes them) for tests
 * of the admin API's TLS, with the clients' side: contexts that trust it, with or without a client
 * certificate. Public for mesh-cli's tests (test-jar).
 */
public final class TestCa implements TlsAuthority {
  /** A private key with the chain (leaf first) that goes with it. */
  public record Credential(KeyPair keys, List<X509Certificate> chain) {}

  private final String trustDomain;
  private final CertificateIssuer root;
  private final CertificateIssuer intermediate;

  public TestCa(String trustDomain) {
    this.trustDomain = trustDomain;
    Instant now = Instant.now();
    root =
        CertificateIssuer.selfSignedRoot(
            KeyPairs.generateP384(), "CN=Test Root,O=FireMesh", now, Duration.ofDays(10));
    intermediate =
        root.intermediate(
            KeyPairs.generate(), "CN=Test Intermediate,O=FireMesh", now, Duration.ofDays(5));
  }

  @Override
  public String trustDomain() {
    return trustDomain;
  }

  @Override
  public List<X509Certificate> trustBundle() {
    return List.of(root.certificate());
  }

  @Override
  public X509Certificate signer() {
    return intermediate.certificate();
  }

  @Override
  public List<X509Certificate> sign(BiFunction<CertificateIssuer, Instant, X509Certificate> leaf) {
    return List.of(leaf.apply(intermediate, Instant.now()), intermediate.certificate());
  }

  /** The admin server's TLS from this CA, for 127.0.0.1 and localhost. */
  public AdminTls adminTls() {
    return AdminTls.start(this, AdminTls.Options.loopback(), Clock.systemUTC(), bundle -> {});
  }

  /** A workload's SVID. */
  public Credential svid(SpiffeId identity) {
    KeyPair keys = KeyPairs.generate();
    return new Credential(
        keys,
        sign(
            (issuer, now) ->
                issuer.issueSvid(keys.getPublic(), identity, now, Duration.ofHours(1))));
  }

  /**
   * An operator's client certificate, as {@code POST /v1/operators/{name}/certificate} makes it.
   */
  public Credential operatorCertificate(String name) {
    KeyPair keys = KeyPairs.generate();
    String identity = SpiffeId.SCHEME_PREFIX + trustDomain + "/operator/" + name;
    return new Credential(
        keys,
        sign(
            (issuer, now) ->
                issuer.issueClientCertificate(
                    keys.getPublic(), identity, now, Duration.ofHours(1))));
  }

  /** A client that trusts this CA and presents no certificate. */
  public HttpClient client() {
    return HttpClient.newBuilder().sslContext(context(null)).build();
  }

  /** A client that trusts this CA and presents {@code credential}. */
  public HttpClient client(Credential credential) {
    return HttpClient.newBuilder().sslContext(context(credential)).build();
  }

  /** A client that trusts {@code roots} and presents {@code credential}. */
  public static HttpClient client(List<X509Certificate> roots, Credential credential) {
    return HttpClient.newBuilder().sslContext(context(roots, credential)).build();
  }

  /** A TLS context trusting this CA's root, presenting {@code credential} if not null. */
  public SSLContext context(Credential credential) {
    return context(trustBundle(), credential);
  }

  /** A TLS context trusting {@code roots}, presenting {@code credential} if not null. */
  public static SSLContext context(List<X509Certificate> roots, Credential credential) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      for (int i = 0; i < roots.size(); i++) {
        trust.setCertificateEntry("root-" + i, roots.get(i));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(trust);
      KeyManagerFactory kmf = null;
      if (credential != null) {
        KeyStore own = KeyStore.getInstance("PKCS12");
        own.load(null, null);
        own.setKeyEntry(
            "client",
            credential.keys().getPrivate(),
            new char[0],
            credential.chain().toArray(X509Certificate[]::new));
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(own, new char[0]);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
