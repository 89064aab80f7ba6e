package dev.firemesh.store.ca;

import java.util.Arrays;
import java.util.Objects;

/** A CA certificate's private key as stored: sealed under a key-encryption key, or absent. */
public sealed interface StoredKey {
  /**
   * Ciphertext the store cannot open.
   *
   * @param kekId which key-encryption key sealed it (so a wrong one is named, not guessed)
   */
  record Sealed(byte[] ciphertext, String kekId) implements StoredKey {
    public Sealed {
      Objects.requireNonNull(ciphertext, "ciphertext");
      Objects.requireNonNull(kekId, "kekId");
      ciphertext = ciphertext.clone();
    }

    @Override
    public byte[] ciphertext() {
      return ciphertext.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Sealed that
          && kekId.equals(that.kekId)
          && Arrays.equals(ciphertext, that.ciphertext);
    }

    @Override
    public int hashCode() {
      return 31 * kekId.hashCode() + Arrays.hashCode(ciphertext);
    }

    @Override
    public String toString() {
      return "Sealed[kek " + kekId + ", " + ciphertext.length + " bytes]";
    }
  }

  /** The key is not here (an imported root whose key stays offline). */
  record None() implements StoredKey {}
}
