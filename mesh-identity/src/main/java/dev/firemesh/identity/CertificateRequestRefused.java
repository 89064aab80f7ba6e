package dev.firemesh.identity;

/**
 * A certificate request the CA will not sign. {@link #reason()} is a short stable code (for metrics
 * and clients); the message says what was wrong and what was expected.
 */
public final class CertificateRequestRefused extends Exception {
  /** Why a request was refused. */
  public enum Reason {
    /** Not a DER PKCS#10 request. */
    MALFORMED("malformed"),
    /** The request's self-signature does not verify with the key it carries. */
    BAD_SIGNATURE("bad-signature"),
    /** Not exactly one URI SAN naming a mesh SPIFFE ID, or another SAN type. */
    BAD_IDENTITY("bad-identity"),
    /** RSA under 2048 bits, or an EC curve other than P-256/P-384, or another algorithm. */
    WEAK_KEY("weak-key");

    private final String code;

    Reason(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  private final Reason reason;

  public CertificateRequestRefused(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
