package dev.firemesh.identity;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * PEM text (RFC 7468) for what crosses files and the wire: X.509 certificates, PKCS#8 private keys
 * and PKCS#10 certificate requests. Decoding is strict: text outside the armour is allowed (as
 * openssl writes it), but a block of another label, bad base64 or a body that does not parse is an
 * {@link IllegalArgumentException} saying which.
 */
public final class Pem {
  public static final String CERTIFICATE = "CERTIFICATE";
  public static final String PRIVATE_KEY = "PRIVATE KEY";
  public static final String CERTIFICATE_REQUEST = "CERTIFICATE REQUEST";

  private Pem() {}

  /** One block of PEM: its label and its DER body. */
  public record Block(String label, byte[] der) {}

  public static String encode(String label, byte[] der) {
    StringBuilder out = new StringBuilder(der.length * 4 / 3 + 64);
    out.append("-----BEGIN ").append(label).append("-----\n");
    String body = Base64.getEncoder().encodeToString(der);
    for (int i = 0; i < body.length(); i += 64) {
      out.append(body, i, Math.min(body.length(), i + 64)).append('\n');
    }
    return out.append("-----END ").append(label).append("-----\n").toString();
  }

  public static String encodeCertificate(X509Certificate certificate) {
    try {
      return encode(CERTIFICATE, certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("certificate cannot be encoded", e);
    }
  }

  /** The certificates one after the other, in the order given (a chain: leaf first). */
  public static String encodeCertificates(List<X509Certificate> certificates) {
    StringBuilder out = new StringBuilder();
    certificates.forEach(c -> out.append(encodeCertificate(c)));
    return out.toString();
  }

  public static String encodePrivateKey(PrivateKey key) {
    if (!"PKCS#8".equals(key.getFormat())) {
      throw new IllegalArgumentException("private key is not PKCS#8 encodable: " + key.getFormat());
    }
    return encode(PRIVATE_KEY, key.getEncoded());
  }

  public static String encodeCertificateRequest(byte[] der) {
    return encode(CERTIFICATE_REQUEST, der);
  }

  /** Every PEM block in {@code text}, in order. */
  public static List<Block> blocks(String text) {
    List<Block> blocks = new ArrayList<>();
    int at = 0;
    while (true) {
      int begin = text.indexOf("-----BEGIN ", at);
      if (begin < 0) {
        return blocks;
      }
      int labelEnd = text.indexOf("-----", begin + 11);
      if (labelEnd < 0) {
        throw new IllegalArgumentException("PEM: unterminated BEGIN line at offset " + begin);
      }
      String label = text.substring(begin + 11, labelEnd);
      String endLine = "-----END " + label + "-----";
      int end = text.indexOf(endLine, labelEnd + 5);
      if (end < 0) {
        throw new IllegalArgumentException("PEM: no '" + endLine + "' after offset " + begin);
      }
      String body = text.substring(labelEnd + 5, end).replaceAll("\\s", "");
      try {
        blocks.add(new Block(label, Base64.getDecoder().decode(body)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "PEM: the " + label + " block at offset " + begin + " is not valid base64", e);
      }
      at = end + endLine.length();
    }
  }

  /** The DER of the only block in {@code text}, which must carry {@code label}. */
  public static byte[] decodeOne(String text, String label) {
    List<Block> blocks = blocks(text);
    if (blocks.size() != 1) {
      throw new IllegalArgumentException(
          "PEM: expected one " + label + " block, found " + blocks.size() + " blocks");
    }
    Block block = blocks.getFirst();
    if (!block.label().equals(label)) {
      throw new IllegalArgumentException(
          "PEM: expected a " + label + " block, found " + block.label());
    }
    return block.der();
  }

  /** One or more certificates; every block must be a CERTIFICATE. */
  public static List<X509Certificate> decodeCertificates(String text) {
    List<Block> blocks = blocks(text);
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException("PEM: no CERTIFICATE block found");
    }
    List<X509Certificate> certificates = new ArrayList<>(blocks.size());
    for (int i = 0; i < blocks.size(); i++) {
      Block block = blocks.get(i);
      if (!block.label().equals(CERTIFICATE)) {
        throw new IllegalArgumentException(
            "PEM: block " + (i + 1) + " is " + block.label() + ", expected CERTIFICATE");
      }
      certificates.add(certificate(block.der(), "block " + (i + 1)));
    }
    return List.copyOf(certificates);
  }

  /** Exactly one certificate. */
  public static X509Certificate decodeCertificate(String text) {
    return certificate(decodeOne(text, CERTIFICATE), "the CERTIFICATE block");
  }

  /** A certificate from its DER bytes. */
  public static X509Certificate certificate(byte[] der, String where) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | RuntimeException e) {
      throw new IllegalArgumentException(where + " is not an X.509 certificate: " + e.getMessage());
    }
  }

  /** A PKCS#8 private key (EC or RSA). */
  public static PrivateKey decodePrivateKey(String text) {
    return privateKey(decodeOne(text, PRIVATE_KEY));
  }

  /** A PKCS#8 private key (EC or RSA) from its DER bytes. */
  public static PrivateKey privateKey(byte[] der) {
    GeneralSecurityException last = null;
    for (String algorithm : List.of("EC", "RSA")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        last = e;
      } catch (RuntimeException e) {
        last = new GeneralSecurityException(e);
      }
    }
    throw new IllegalArgumentException("not a PKCS#8 EC or RSA private key: " + last.getMessage());
  }

  /** The DER of one PKCS#10 request (parsed and checked by {@link CertificateRequests#read}). */
  public static byte[] decodeCertificateRequest(String text) {
    return decodeOne(text, CERTIFICATE_REQUEST);
  }
}
