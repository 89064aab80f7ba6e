package dev.firemesh.store.ca;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored CA certificate.
 *
 * @param fingerprint SHA-256 of the DER, lower-case hex
 * @param issuerFingerprint the issuing certificate's fingerprint; empty for a root
 * @param serial the serial number, hex
 * @param key the sealed private key, or {@link StoredKey.None} when it is kept elsewhere
 */
public record CaCertificate(
    String fingerprint,
    Role role,
    Optional<String> issuerFingerprint,
    String subject,
    String serial,
    String certificatePem,
    StoredKey key,
    State state,
    Instant notBefore,
    Instant notAfter) {

  /** What a CA certificate is for. */
  public enum Role {
    ROOT,
    INTERMEDIATE;

    String column() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Where a CA certificate stands. */
  public enum State {
    /** Signs (an intermediate) or anchors what is signed now (a root). */
    ACTIVE,
    /** No longer signs, still in the trust bundle (during a rotation). */
    TRUSTED,
    /** Kept for the record only. */
    RETIRED;

    String column() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public CaCertificate {
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(issuerFingerprint, "issuerFingerprint");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(certificatePem, "certificatePem");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
  }
}
