package dev.firemesh.identity;

import java.security.Key;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;

/** The one signature algorithm used with each kind of key, so signer and verifier agree. */
final class SignatureAlgorithms {
  private SignatureAlgorithms() {}

  /** SHA256withECDSA or SHA256withRSA (P-384 keys sign with SHA384withECDSA). */
  static String forKey(Key key) {
    if (key instanceof ECKey ec) {
      return ec.getParams().getCurve().getField().getFieldSize() > 256
          ? "SHA384withECDSA"
          : "SHA256withECDSA";
    }
    if (key instanceof RSAKey) {
      return "SHA256withRSA";
    }
    throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
  }

  /** Requests and proofs are always SHA-256, whatever the curve, so clients need one rule. */
  static String sha256ForKey(Key key) {
    if (key instanceof ECKey) {
      return "SHA256withECDSA";
    }
    if (key instanceof RSAKey) {
      return "SHA256withRSA";
    }
    throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
  }
}
