package dev.firemesh.proxy.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.util.Locale;

/**
 * Which TLS implementation the sidecar's handshakes and record layer run on: BoringSSL through
 * netty-tcnative (less CPU per handshake and per byte, no TLS objects on the Java heap) when it
 * loads and can do the job, the JDK's otherwise. {@value #PROPERTY} ({@code jdk} or {@code
 * openssl}) forces one.
 */
public enum TlsProvider {
  OPENSSL(SslProvider.OPENSSL),
  JDK(SslProvider.JDK);

  /** The system property that forces a provider. */
  public static final String PROPERTY = "firemesh.tls.provider";

  private final SslProvider netty;

  TlsProvider(SslProvider netty) {
    this.netty = netty;
  }

  SslProvider netty() {
    return netty;
  }

  /** The name shown on the admin pages and metrics: {@code openssl} or {@code jdk}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The provider for keys of {@code keyAlgorithm} ({@code EC}, {@code RSA}): the one {@value
   * #PROPERTY} names, else OpenSSL when it is available, has ALPN and TLS 1.3 and takes such keys,
   * else the JDK.
   *
   * @throws IllegalStateException if the property forces OpenSSL and it cannot be used
   */
  public static TlsProvider select(String keyAlgorithm) {
    return select(keyAlgorithm, System.getProperty(PROPERTY, ""));
  }

  /** As {@link #select(String)}, with {@code forced} in place of the property. */
  static TlsProvider select(String keyAlgorithm, String forcedName) {
    String forced = forcedName.strip().toLowerCase(Locale.ROOT);
    return switch (forced) {
      case "" -> openSslUsable(keyAlgorithm) ? OPENSSL : JDK;
      case "jdk" -> JDK;
      case "openssl" -> {
        if (!openSslUsable(keyAlgorithm)) {
          throw new IllegalStateException(
              "-D"
                  + PROPERTY
                  + "=openssl, but OpenSSL cannot be used here: "
                  + openSslProblem(keyAlgorithm));
        }
        yield OPENSSL;
      }
      default ->
          throw new IllegalArgumentException(
              "-D" + PROPERTY + " must be jdk or openssl, not '" + forced + "'");
    };
  }

  private static boolean openSslUsable(String keyAlgorithm) {
    return openSslProblem(keyAlgorithm).isEmpty();
  }

  /** Why OpenSSL cannot be used, or empty. */
  static String openSslProblem(String keyAlgorithm) {
    if (!OpenSsl.isAvailable()) {
      Throwable cause = OpenSsl.unavailabilityCause();
      return "the native library did not load (" + (cause == null ? "unknown" : cause) + ")";
    }
    if (!SslProvider.isAlpnSupported(SslProvider.OPENSSL)) {
      return "no ALPN";
    }
    if (!SslProvider.isTlsv13Supported(SslProvider.OPENSSL)) {
      return "no TLS 1.3";
    }
    if (!keyAlgorithm.equals("EC") && !keyAlgorithm.equals("RSA")) {
      return "keys of type " + keyAlgorithm;
    }
    return "";
  }
}
