package dev.firemesh.identity;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/**
 * Proof that a renewing workload holds the key of its current SVID: a signature with that key over
 * the new request's DER bytes (SHA256withECDSA for EC keys, SHA256withRSA for RSA). Binding the
 * proof to the new request means a captured renewal is useless: replaying it only gets a
 * certificate for a key the attacker does not hold.
 */
public final class PossessionProof {
  private PossessionProof() {}

  /** Signs {@code csrDer} with the current private key. */
  public static byte[] sign(PrivateKey currentKey, byte[] csrDer) {
    try {
      Signature signature = Signature.getInstance(SignatureAlgorithms.sha256ForKey(currentKey));
      signature.initSign(currentKey);
      signature.update(csrDer);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot sign with a " + currentKey.getAlgorithm() + " key", e);
    }
  }

  /** Whether {@code proof} is the current key's signature over {@code csrDer}. */
  public static boolean verify(PublicKey currentKey, byte[] csrDer, byte[] proof) {
    try {
      Signature signature = Signature.getInstance(SignatureAlgorithms.sha256ForKey(currentKey));
      signature.initVerify(currentKey);
      signature.update(csrDer);
      return signature.verify(proof);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      // A malformed signature encoding is a failed proof, not an error of ours.
      return false;
    }
  }
}
