package dev.firemesh.identity;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
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
import javax.net.ssl.X509ExtendedKeyManager;
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
    return new Managers(following.new CurrentSvid(), following.new CurrentBundle());
  }

  /** A client key manager that presents the current SVID, and a trust manager over its bundle. */
  public record Managers(X509ExtendedKeyManager key, X509ExtendedTrustManager trust) {}

  private static final class Following {
    private final Supplier<WorkloadCredentials> credentials;
    // The credentials of the last handshake and the one before, by alias: a handshake that chose
    // its alias just before a renewal still finds its key.
    private final AtomicReference<Map.Entry<String, WorkloadCredentials>> current =
        new AtomicReference<>();
    private final AtomicReference<Map.Entry<String, WorkloadCredentials>> previous =
        new AtomicReference<>();
    private final AtomicReference<Map.Entry<List<X509Certificate>, X509ExtendedTrustManager>>
        trust = new AtomicReference<>();

    Following(Supplier<WorkloadCredentials> credentials) {
      this.credentials = credentials;
    }

    private Map.Entry<String, WorkloadCredentials> now() {
      WorkloadCredentials held = credentials.get();
      Map.Entry<String, WorkloadCredentials> last = current.get();
      if (last != null && last.getValue() == held) {
        return last;
      }
      Map.Entry<String, WorkloadCredentials> fresh =
          Map.entry("svid-" + held.leaf().getSerialNumber().toString(16), held);
      previous.set(current.getAndSet(fresh));
      return fresh;
    }

    private WorkloadCredentials find(String alias) {
      Map.Entry<String, WorkloadCredentials> held = now();
      if (held.getKey().equals(alias)) {
        return held.getValue();
      }
      Map.Entry<String, WorkloadCredentials> before = previous.get();
      return before != null && before.getKey().equals(alias) ? before.getValue() : null;
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

    /** Hands the TLS stack the current SVID as the client certificate; never a server one. */
    final class CurrentSvid extends X509ExtendedKeyManager {
      private String choose(String[] keyTypes) {
        Map.Entry<String, WorkloadCredentials> held = now();
        String algorithm = held.getValue().privateKey().getAlgorithm();
        if (keyTypes == null) {
          return held.getKey();
        }
        for (String keyType : keyTypes) {
          if (keyType.equals(algorithm) || keyType.startsWith(algorithm + "_")) {
            return held.getKey();
          }
        }
        return null;
      }

      @Override
      public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return choose(keyTypes);
      }

      @Override
      public String chooseEngineClientAlias(
          String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return choose(keyTypes);
      }

      @Override
      public String[] getClientAliases(String keyType, Principal[] issuers) {
        String alias = choose(new String[] {keyType});
        return alias == null ? null : new String[] {alias};
      }

      @Override
      public X509Certificate[] getCertificateChain(String alias) {
        WorkloadCredentials held = find(alias);
        return held == null ? null : held.chain().toArray(X509Certificate[]::new);
      }

      @Override
      public PrivateKey getPrivateKey(String alias) {
        WorkloadCredentials held = find(alias);
        return held == null ? null : held.privateKey();
      }

      @Override
      public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
      }

      @Override
      public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
      }
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
