package dev.firemesh.identity;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
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

  /**
   * A client context presenting {@code credentials.get()}'s SVID at each handshake.
   *
   * <p>It never resumes a TLS session made with other credentials: a resumed session skips the
   * handshake's certificates, so a connection opened after a renewal or a rotation would still
   * stand on the old SVID (which a server that has retired its issuer refuses). Each new engine or
   * socket factory first looks at the credentials, and forgets every cached session when they
   * changed.
   */
  public static SSLContext following(Supplier<WorkloadCredentials> credentials) {
    Managers managers = managers(credentials);
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {managers.key()}, new TrustManager[] {managers.trust()}, null);
      return new ForgetfulContext(new SessionsPerCredentials(context, credentials));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS from the workload's credentials", e);
    }
  }

  /** An {@link SSLContext} over {@link SessionsPerCredentials} (its constructor is protected). */
  private static final class ForgetfulContext extends SSLContext {
    ForgetfulContext(SessionsPerCredentials spi) {
      super(spi, spi.context.getProvider(), spi.context.getProtocol());
    }
  }

  /** Delegates to a real context, forgetting its client sessions when the credentials change. */
  private static final class SessionsPerCredentials extends SSLContextSpi {
    private final SSLContext context;
    private final Supplier<WorkloadCredentials> credentials;
    private final AtomicReference<WorkloadCredentials> sessionsMadeWith = new AtomicReference<>();

    SessionsPerCredentials(SSLContext context, Supplier<WorkloadCredentials> credentials) {
      this.context = context;
      this.credentials = credentials;
    }

    private SSLContext current() {
      WorkloadCredentials now = credentials.get();
      WorkloadCredentials before = sessionsMadeWith.getAndSet(now);
      if (before != null && before != now) {
        SSLSessionContext sessions = context.getClientSessionContext();
        for (Enumeration<byte[]> ids = sessions.getIds(); ids.hasMoreElements(); ) {
          SSLSession session = sessions.getSession(ids.nextElement());
          if (session != null) {
            session.invalidate();
          }
        }
      }
      return context;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
      throw new UnsupportedOperationException("a workload's context is initialised when made");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return current().getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      throw new UnsupportedOperationException("a workload's context is for clients");
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return current().createSSLEngine();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return current().createSSLEngine(host, port);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return context.getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return context.getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return context.getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return context.getSupportedSSLParameters();
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
