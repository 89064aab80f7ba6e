package dev.firemesh.identity;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A JDK {@link SSLContext} for a workload's connections to the control plane (the admin API, the
 * xDS stream) that follows the workload's credentials: each handshake presents the SVID of that
 * moment and checks the server against the trust bundle of that moment (PKIX; the host name is
 * checked as the connection's endpoint identification asks). It is made once, so a long-lived
 * channel survives every renewal and rotation without being rebuilt.
 *
 * <pre>{@code
 * SSLContext tls = WorkloadSslContext.following(agent::credentials);
 * }</pre>
 */
public final class WorkloadSslContext {
  private WorkloadSslContext() {}

  /** A client context presenting {@code credentials.get()}'s SVID at each handshake. */
  public static SSLContext following(Supplier<WorkloadCredentials> credentials) {
    Managers managers = managers(credentials);
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {managers.key()}, new TrustManager[] {managers.trust()}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS from the workload's credentials", e);
    }
  }

  /**
   * The key and trust managers of {@link #following}, for TLS stacks that take managers rather than
   * a context (gRPC's {@code TlsChannelCredentials}).
   */
  public static Managers managers(Supplier<WorkloadCredentials> credentials) {
    Following following = new Following(credentials);
    return new Managers(
        new CurrentKeyManager(
            () -> {
              WorkloadCredentials now = credentials.get();
              return new CurrentKeyManager.KeyAndChain(now.privateKey(), now.chain());
            },
            CurrentKeyManager.Side.CLIENT),
        following.new CurrentBundle());
  }

  /** A client key manager that presents the current SVID, and a trust manager over its bundle. */
  public record Managers(CurrentKeyManager key, X509ExtendedTrustManager trust) {}

  private static final class Following {
    private final Supplier<WorkloadCredentials> credentials;
    private final AtomicReference<Map.Entry<List<X509Certificate>, X509ExtendedTrustManager>>
        trust = new AtomicReference<>();

    Following(Supplier<WorkloadCredentials> credentials) {
      this.credentials = credentials;
    }

    private X509ExtendedTrustManager trustManager() {
      List<X509Certificate> bundle = credentials.get().trustBundle();
      Map.Entry<List<X509Certificate>, X509ExtendedTrustManager> last = trust.get();
      if (last != null && last.getKey().equals(bundle)) {
        return last.getValue();
      }
      X509ExtendedTrustManager fresh = BundleTrust.pkix(bundle);
      trust.set(Map.entry(bundle, fresh));
      return fresh;
    }

    /** Checks the server against the bundle the workload holds now. */
    final class CurrentBundle extends X509ExtendedTrustManager {
      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
          throws CertificateException {
        trustManager().checkServerTrusted(chain, authType, socket);
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
          throws CertificateException {
        trustManager().checkServerTrusted(chain, authType, engine);
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType)
          throws CertificateException {
        trustManager().checkServerTrusted(chain, authType);
      }

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
          throws CertificateException {
        throw new CertificateException("a workload's client context accepts no clients");
      }

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
          throws CertificateException {
        throw new CertificateException("a workload's client context accepts no clients");
      }

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType)
          throws CertificateException {
        throw new CertificateException("a workload's client context accepts no clients");
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return credentials.get().trustBundle().toArray(X509Certificate[]::new);
      }
    }
  }
}
