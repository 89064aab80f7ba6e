package dev.firemesh.identity;

import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.identity.SvidRejectedException.Reason;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks that a presented certificate chain (leaf first) is an X.509 SVID of this mesh: a PKIX path
 * to one of the trust bundle's roots, valid at the given instant, whose leaf is not a CA and names
 * exactly one SPIFFE ID of the bundle's trust domain.
 *
 * <p>Revocation is not checked: SVIDs live for hours and are renewed, which is how a compromised
 * key stops being trusted. Host names are never checked either: peers are reached by address and
 * the SPIFFE ID is the identity. Immutable and safe to share between threads.
 */
public final class SvidVerifier {
  private static final int URI_SAN = 6;
  private static final int KEY_CERT_SIGN = 5;

  private final String trustDomain;
  private final List<X509Certificate> roots;
  private final Set<TrustAnchor> anchors;

  /**
   * @param trustDomain the trust domain the bundle's roots speak for
   * @param roots the trust bundle: every root currently trusted (old and new during a rotation)
   */
  public SvidVerifier(String trustDomain, List<X509Certificate> roots) {
    Objects.requireNonNull(trustDomain, "trustDomain");
    if (!SpiffeId.isTrustDomain(trustDomain)) {
      throw new IllegalArgumentException("not a trust domain name: '" + trustDomain + "'");
    }
    this.roots = List.copyOf(roots);
    if (this.roots.isEmpty()) {
      throw new IllegalArgumentException("the trust bundle is empty");
    }
    this.trustDomain = trustDomain;
    Set<TrustAnchor> set = new HashSet<>();
    for (X509Certificate root : this.roots) {
      set.add(new TrustAnchor(root, null));
    }
    this.anchors = Set.copyOf(set);
  }

  /** A verifier for the peers of a workload holding {@code credentials}: its bundle, its domain. */
  public static SvidVerifier of(WorkloadCredentials credentials) {
    return new SvidVerifier(credentials.identity().trustDomain(), credentials.trustBundle());
  }

  public String trustDomain() {
    return trustDomain;
  }

  public List<X509Certificate> roots() {
    return roots;
  }

  /**
   * The SPIFFE ID {@code chain} proves at {@code at}.
   *
   * @param chain as presented in a TLS handshake: leaf first, then intermediates; the root may or
   *     may not be included
   * @throws SvidRejectedException with the reason the chain proves nothing
   */
  public SpiffeId verify(List<X509Certificate> chain, Instant at) throws SvidRejectedException {
    if (chain == null || chain.isEmpty()) {
      throw new SvidRejectedException(Reason.MALFORMED, "no certificate presented");
    }
    validatePath(chain, at);
    X509Certificate leaf = chain.getFirst();
    if (leaf.getBasicConstraints() >= 0) {
      throw new SvidRejectedException(
          Reason.MALFORMED, "the leaf " + subject(leaf) + " is a CA certificate (CA:true)");
    }
    boolean[] keyUsage = leaf.getKeyUsage();
    if (keyUsage != null && keyUsage.length > KEY_CERT_SIGN && keyUsage[KEY_CERT_SIGN]) {
      throw new SvidRejectedException(
          Reason.MALFORMED, "the leaf " + subject(leaf) + " may sign certificates (keyCertSign)");
    }
    SpiffeId id = identityOf(leaf);
    if (!id.trustDomain().equals(trustDomain)) {
      throw new SvidRejectedException(
          Reason.WRONG_TRUST_DOMAIN,
          "the leaf names " + id + ", expected trust domain '" + trustDomain + "'");
    }
    return id;
  }

  /**
   * The SPIFFE ID a leaf names, without checking anything else: for a certificate a handshake has
   * already verified.
   */
  public static SpiffeId identityOf(X509Certificate leaf) throws SvidRejectedException {
    String uri = onlyUriSan(leaf);
    return SpiffeId.parse(uri)
        .orElseThrow(
            () ->
                new SvidRejectedException(
                    Reason.NO_SPIFFE_ID,
                    "the leaf's URI SAN '"
                        + uri
                        + "' is not spiffe://<trust-domain>/env/<env>/svc/<service>"));
  }

  /** {@link #verify(List, Instant)} for the array a TLS stack hands a trust manager. */
  public SpiffeId verify(X509Certificate[] chain, Instant at) throws SvidRejectedException {
    return verify(chain == null ? List.of() : List.of(chain), at);
  }

  private void validatePath(List<X509Certificate> chain, Instant at) throws SvidRejectedException {
    // The path handed to PKIX ends below the anchor: a peer may or may not send the root.
    List<X509Certificate> path = new ArrayList<>(chain);
    while (path.size() > 1 && roots.contains(path.getLast())) {
      path.removeLast();
    }
    try {
      CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
      PKIXParameters parameters = new PKIXParameters(anchors);
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(at));
      CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
    } catch (CertPathValidatorException e) {
      throw rejection(e, chain);
    } catch (java.security.cert.CertificateException
        | InvalidAlgorithmParameterException
        | NoSuchAlgorithmException e) {
      throw new SvidRejectedException(
          Reason.MALFORMED, "the chain cannot be checked: " + e.getMessage(), e);
    }
  }

  private static SvidRejectedException rejection(
      CertPathValidatorException e, List<X509Certificate> chain) {
    String where = certificateAt(e, chain);
    if (e.getReason() == BasicReason.EXPIRED
        || e.getCause() instanceof CertificateExpiredException) {
      return new SvidRejectedException(
          Reason.EXPIRED, where + " has expired: " + e.getMessage(), e);
    }
    if (e.getReason() == BasicReason.NOT_YET_VALID
        || e.getCause() instanceof CertificateNotYetValidException) {
      return new SvidRejectedException(
          Reason.NOT_YET_VALID, where + " is not valid yet: " + e.getMessage(), e);
    }
    return new SvidRejectedException(
        Reason.UNTRUSTED, where + " does not lead to a trusted root: " + e.getMessage(), e);
  }

  private static String certificateAt(CertPathValidatorException e, List<X509Certificate> chain) {
    int index = e.getIndex();
    if (index >= 0 && index < chain.size()) {
      return (index == 0 ? "the leaf " : "chain certificate " + index + " ")
          + subject(chain.get(index));
    }
    return "the chain of " + subject(chain.getFirst());
  }

  private static String onlyUriSan(X509Certificate leaf) throws SvidRejectedException {
    Collection<List<?>> names;
    try {
      names = leaf.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      throw new SvidRejectedException(
          Reason.MALFORMED, "the leaf's subject alternative names cannot be read", e);
    }
    List<String> uris = new ArrayList<>();
    if (names != null) {
      for (List<?> name : names) {
        if (name.size() >= 2 && Integer.valueOf(URI_SAN).equals(name.get(0))) {
          uris.add(String.valueOf(name.get(1)));
        }
      }
    }
    if (uris.isEmpty()) {
      throw new SvidRejectedException(
          Reason.NO_SPIFFE_ID, "the leaf " + subject(leaf) + " has no URI SAN");
    }
    if (uris.size() > 1) {
      throw new SvidRejectedException(
          Reason.MALFORMED, "the leaf has " + uris.size() + " URI SANs " + uris + ", expected one");
    }
    return uris.getFirst();
  }

  private static String subject(X509Certificate certificate) {
    return "'" + certificate.getSubjectX500Principal().getName() + "'";
  }
}
