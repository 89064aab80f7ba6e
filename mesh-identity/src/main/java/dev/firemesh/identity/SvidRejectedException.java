package dev.firemesh.identity;

import java.security.cert.CertificateException;

/**
 * A presented X.509 SVID chain that does not prove a mesh identity. A {@link CertificateException}
 * so that a TLS trust manager can throw it as it is and the handshake's failure keeps the reason.
 */
public final class SvidRejectedException extends CertificateException {
  /** Why the chain was refused; stable names, used as metric labels. */
  public enum Reason {
    /** Some certificate of the chain was no longer valid at the time of the check. */
    EXPIRED,
    /** Some certificate of the chain was not valid yet at the time of the check. */
    NOT_YET_VALID,
    /**
     * The chain does not lead to a root of the trust bundle (self-signed, another CA, bad
     * signature).
     */
    UNTRUSTED,
    /** The leaf carries no URI SAN, or one that is not a mesh SPIFFE ID. */
    NO_SPIFFE_ID,
    /** The leaf's SPIFFE ID belongs to another trust domain than the bundle's. */
    WRONG_TRUST_DOMAIN,
    /** Not a leaf SVID at all: empty chain, a CA certificate as the leaf, several URI SANs. */
    MALFORMED;

    /** The reason as a metric label: lower case. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Reason reason;

  public SvidRejectedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public SvidRejectedException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
