package dev.firemesh.identity;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** Trust in the mesh's roots and nothing else: never the JDK's {@code cacerts}, never none. */
public final class BundleTrust {
  private BundleTrust() {}

  /**
   * A PKIX trust manager (the JDK's, with its key usage, algorithm and host name checks) over
   * {@code roots}.
   */
  public static X509ExtendedTrustManager pkix(List<X509Certificate> roots) {
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("no root certificates to trust");
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < roots.size(); i++) {
        store.setCertificateEntry("root-" + i, roots.get(i));
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("the JDK's PKIX trust manager factory made no X.509 one");
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build trust from the mesh's trust bundle", e);
    }
  }
}
