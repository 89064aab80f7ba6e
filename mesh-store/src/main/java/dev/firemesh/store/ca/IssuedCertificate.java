package dev.firemesh.store.ca;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An SVID the CA signed, and on what grounds.
 *
 * @param serial hex
 * @param joinTokenId the token used, for {@link Via#JOIN_TOKEN}
 * @param renewedSerial the serial of the SVID that proved possession, for {@link Via#RENEWAL}
 * @param issuerFingerprint the SHA-256 fingerprint of the intermediate that signed it
 */
public record IssuedCertificate(
    String serial,
    String spiffeId,
    Instant notAfter,
    Via via,
    Optional<String> joinTokenId,
    Optional<String> renewedSerial,
    String issuerFingerprint) {

  /** How the workload proved it may have the identity. */
  public enum Via {
    JOIN_TOKEN("join-token"),
    RENEWAL("renewal");

    private final String text;

    Via(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }

    static Via of(String text) {
      for (Via via : values()) {
        if (via.text.equals(text)) {
          return via;
        }
      }
      throw new IllegalArgumentException("unknown issuance: " + text);
    }
  }

  public IssuedCertificate {
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(spiffeId, "spiffeId");
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(via, "via");
    Objects.requireNonNull(joinTokenId, "joinTokenId");
    Objects.requireNonNull(renewedSerial, "renewedSerial");
    Objects.requireNonNull(issuerFingerprint, "issuerFingerprint");
  }
}
