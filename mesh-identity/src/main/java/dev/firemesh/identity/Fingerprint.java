package dev.firemesh.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/** The SHA-256 fingerprint of a certificate's DER, lower-case hex: how operators name one. */
public final class Fingerprint {
  private Fingerprint() {}

  public static String sha256(X509Certificate certificate) {
    try {
      return sha256(certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("certificate cannot be encoded", e);
    }
  }

  /**
   * One fingerprint for a trust bundle, whatever the order of its certificates: SHA-256 over the
   * sorted fingerprints of its certificates, one per line. The control plane and its workloads
   * compare bundles with it without sending them.
   */
  public static String ofBundle(List<X509Certificate> bundle) {
    String lines =
        bundle.stream().map(Fingerprint::sha256).sorted().collect(Collectors.joining("\n"));
    return sha256(lines.getBytes(StandardCharsets.US_ASCII));
  }

  public static String sha256(byte[] der) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
