package dev.firemesh.control.admin;

import dev.firemesh.identity.BundleTrust;
import dev.firemesh.identity.CurrentKeyManager;
import dev.firemesh.identity.CurrentKeyManager.KeyAndChain;
import dev.firemesh.identity.KeyPairs;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's TLS: a server certificate the mesh CA issues to the control plane itself (host
 * names and addresses as SANs, short-lived), renewed in place before it expires, and a trust
 * manager for clients' certificates built from the current trust bundle. The {@link SSLContext} is
 * made once; its key and trust managers read the current credentials, so renewal and a changed
 * bundle apply to the next handshake without restarting the server.
 */
public final class AdminTls implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminTls.class);
  public static final Duration DEFAULT_LIFETIME = Duration.ofHours(24);
  // How often the trust bundle is read again, and the longest a renewal can be late by.
  private static final Duration CHECK_EVERY = Duration.ofMinutes(1);

  /**
   * @param hostnames DNS SANs (always with {@code localhost})
   * @param addresses IP SANs (always with 127.0.0.1)
   * @param lifetime of each server certificate; renewed at half of it
   */
  public record Options(List<String> hostnames, List<InetAddress> addresses, Duration lifetime) {
    public Options {
      hostnames = List.copyOf(hostnames);
      addresses = List.copyOf(addresses);
      if (lifetime.compareTo(Duration.ofMinutes(2)) < 0) {
        throw new IllegalArgumentException(
            "the admin certificate's lifetime must be at least 2 minutes, got " + lifetime);
      }
    }

    public static Options loopback() {
      return new Options(
          List.of("localhost"), List.of(InetAddress.getLoopbackAddress()), DEFAULT_LIFETIME);
    }
  }

  private final TlsAuthority authority;
  private final Options options;
  private final Clock clock;
  private final Consumer<List<X509Certificate>> bundleChanged;
  private final AtomicReference<KeyAndChain> current = new AtomicReference<>();
  private final AtomicReference<X509ExtendedTrustManager> clientTrust = new AtomicReference<>();
  private volatile List<X509Certificate> bundle = List.of();
  private final SSLContext context;
  private final Thread renewal;

  private AdminTls(
      TlsAuthority authority,
      Options options,
      Clock clock,
      Consumer<List<X509Certificate>> bundleChanged) {
    this.authority = authority;
    this.options = options;
    this.clock = clock;
    this.bundleChanged = bundleChanged;
    refreshBundle();
    renew();
    try {
      context = SSLContext.getInstance("TLS");
      context.init(
          new KeyManager[] {new CurrentKeyManager(current::get, CurrentKeyManager.Side.SERVER)},
          new TrustManager[] {new CurrentTrust()},
          null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS for the admin API", e);
    }
    renewal = Thread.ofVirtual().name("admin-tls-renewal").start(this::renewLoop);
  }

  /**
   * Issues the first server certificate and starts renewing it.
   *
   * @param bundleChanged told the trust bundle at start and whenever it changes (the control plane
   *     writes it to {@code <data-dir>/trust-bundle.pem} for the CLI)
   */
  public static AdminTls start(
      TlsAuthority authority,
      Options options,
      Clock clock,
      Consumer<List<X509Certificate>> bundleChanged) {
    return new AdminTls(authority, options, clock, bundleChanged);
  }

  public SSLContext context() {
    return context;
  }

  public String trustDomain() {
    return authority.trustDomain();
  }

  /** The roots client certificates must chain to (and the CLI's trust for the server). */
  public List<X509Certificate> trustBundle() {
    return bundle;
  }

  /** The server certificate new handshakes get. */
  public X509Certificate serverCertificate() {
    return current.get().chain().getFirst();
  }

  /** Issues a new server certificate now; the next handshake gets it. */
  public synchronized void renew() {
    KeyPair keys = KeyPairs.generate();
    List<String> hostnames = new ArrayList<>(List.of("localhost"));
    options.hostnames().stream().filter(h -> !hostnames.contains(h)).forEach(hostnames::add);
    List<InetAddress> addresses = new ArrayList<>(List.of(InetAddress.getLoopbackAddress()));
    options.addresses().stream()
        .filter(a -> !a.isAnyLocalAddress() && !addresses.contains(a))
        .forEach(addresses::add);
    List<X509Certificate> chain =
        authority.sign(
            (issuer, now) ->
                issuer.issueServerCertificate(
                    keys.getPublic(), hostnames, addresses, now, options.lifetime()));
    current.set(new KeyAndChain(keys.getPrivate(), chain));
    log.info(
        "admin API certificate serial={} notAfter={} names={} addresses={}",
        chain.getFirst().getSerialNumber().toString(16),
        chain.getFirst().getNotAfter().toInstant(),
        hostnames,
        addresses.stream().map(InetAddress::getHostAddress).toList());
  }

  /**
   * After the CA changed (a rotation step): the new bundle at once, and a new server certificate if
   * the one served comes from an intermediate that no longer signs, so that retiring the old root
   * never leaves the admin port with a certificate nobody trusts.
   */
  public synchronized void caChanged() {
    refreshBundle();
    List<X509Certificate> chain = current.get().chain();
    if (chain.size() < 2 || !chain.get(1).equals(authority.signer())) {
      renew();
    }
  }

  /** Reads the trust bundle again; tells {@code bundleChanged} and rebuilds client trust if new. */
  void refreshBundle() {
    List<X509Certificate> roots = authority.trustBundle();
    if (roots.equals(bundle)) {
      return;
    }
    clientTrust.set(BundleTrust.pkix(roots));
    bundle = List.copyOf(roots);
    bundleChanged.accept(bundle);
  }

  private void renewLoop() {
    while (!Thread.currentThread().isInterrupted()) {
      X509Certificate leaf = current.get().chain().getFirst();
      Instant notBefore = leaf.getNotBefore().toInstant();
      Instant renewAt =
          notBefore.plus(Duration.between(notBefore, leaf.getNotAfter().toInstant()).dividedBy(2));
      Duration wait = Duration.between(clock.instant(), renewAt);
      try {
        Thread.sleep(wait.compareTo(CHECK_EVERY) < 0 ? wait.plusMillis(1) : CHECK_EVERY);
      } catch (InterruptedException e) {
        return;
      }
      try {
        caChanged();
        if (!clock.instant().isBefore(renewAt)) {
          renew();
        }
      } catch (RuntimeException e) {
        // The current certificate still has half its life; try again at the next check.
        log.warn(
            "admin API certificate renewal failed, retrying in {}: {}", CHECK_EVERY, e.toString());
      }
    }
  }

  @Override
  public void close() {
    renewal.interrupt();
  }

  /**
   * Checks client certificates against the current trust bundle (PKIX, with the JDK's checks of key
   * usage and algorithms). The admin server then decides who the verified certificate is.
   */
  private final class CurrentTrust extends X509ExtendedTrustManager {
    private X509ExtendedTrustManager delegate() {
      return Objects.requireNonNull(clientTrust.get());
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      delegate().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      delegate().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      delegate().checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("the admin server does not connect to servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("the admin server does not connect to servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("the admin server does not connect to servers");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return bundle.toArray(X509Certificate[]::new);
    }
  }
}
