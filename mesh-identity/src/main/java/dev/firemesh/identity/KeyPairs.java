package dev.firemesh.identity;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/** Key pairs for workloads and CAs: EC, P-256 by default (cheap to make, small handshakes). */
public final class KeyPairs {
  private KeyPairs() {}

  /** A fresh EC P-256 key pair. */
  public static KeyPair generate() {
    return ec("secp256r1");
  }

  /** A fresh EC P-384 key pair (for long-lived roots). */
  public static KeyPair generateP384() {
    return ec("secp384r1");
  }

  private static KeyPair ec(String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot generate " + curve + " keys", e);
    }
  }
}
