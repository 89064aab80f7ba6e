package dev.firemesh.control.ca;

import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.identity.CertificateRequestRefused;
import dev.firemesh.identity.CertificateRequests;
import dev.firemesh.identity.CertificateRequests.CertificateRequest;
import dev.firemesh.identity.Pem;
import dev.firemesh.identity.PossessionProof;
import dev.firemesh.identity.SvidRejectedException;
import dev.firemesh.store.ca.IssuedCertificate;
import dev.firemesh.store.ca.IssuedCertificates;
import dev.firemesh.store.ca.JoinToken;
import dev.firemesh.store.ca.JoinTokenLedger;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides SVID requests ({@code POST /v1/svid}). Two ways in:
 *
 * <ul>
 *   <li><b>Join token</b> ({@code Authorization: JoinToken fmjt_...}): the request must ask for
 *       exactly the token's identity. The identity is checked before the token is used, so a
 *       mismatched request does not spend it; the use itself is one atomic statement.
 *   <li><b>Renewal</b> ({@code Authorization: Svid <base64 DER of the current leaf>} and a {@code
 *       proof}: the current key's signature over the new request's DER): the current SVID must
 *       chain to a trusted root and be unexpired, and the request must ask for the same identity.
 *       The proof shows possession of the current key without TLS client authentication; a captured
 *       request is useless, as its certificate is for a key the attacker does not hold.
 * </ul>
 *
 * Every outcome is counted; every issue is recorded in the ledger and logged once at INFO.
 */
public final class SvidIssuance {
  private static final Logger log = LoggerFactory.getLogger(SvidIssuance.class);
  private static final String JOIN_TOKEN_SCHEME = "JoinToken ";
  private static final String SVID_SCHEME = "Svid ";

  /**
   * One request as it arrived.
   *
   * @param authorization the {@code Authorization} header
   * @param csrPem the {@code csr} field: a PEM PKCS#10 request
   * @param proof the {@code proof} field (renewals): base64 signature
   */
  public record Request(Optional<String> authorization, String csrPem, Optional<String> proof) {}

  private final CertificateAuthority ca;
  private final JoinTokens tokens;
  private final IssuedCertificates ledger;
  private final CaMetrics metrics;

  public SvidIssuance(
      CertificateAuthority ca, JoinTokens tokens, IssuedCertificates ledger, CaMetrics metrics) {
    this.ca = Objects.requireNonNull(ca, "ca");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * Signs the request's key for its identity, or refuses.
   *
   * @throws IssuanceRefused saying why, with the HTTP status it deserves
   */
  public CertificateAuthority.IssuedSvid issue(Request request) {
    try {
      String authorization =
          request
              .authorization()
              .orElseThrow(
                  () ->
                      IssuanceRefused.unauthenticated(
                          "no-credentials",
                          "an SVID request needs 'Authorization: JoinToken <token>' (first issue)"
                              + " or 'Authorization: Svid <base64 DER of the current SVID>' with a"
                              + " proof (renewal)"));
      if (authorization.startsWith(JOIN_TOKEN_SCHEME)) {
        return withJoinToken(authorization.substring(JOIN_TOKEN_SCHEME.length()).strip(), request);
      }
      if (authorization.startsWith(SVID_SCHEME)) {
        return renewal(authorization.substring(SVID_SCHEME.length()).strip(), request);
      }
      throw IssuanceRefused.unauthenticated(
          "no-credentials", "the Authorization scheme must be JoinToken or Svid");
    } catch (IssuanceRefused e) {
      metrics.refused(e.reason());
      throw e;
    }
  }

  private CertificateAuthority.IssuedSvid withJoinToken(String token, Request request) {
    JoinTokens.Presented presented =
        JoinTokens.parse(token)
            .orElseThrow(
                () ->
                    IssuanceRefused.unauthenticated(
                        "token-malformed", "the join token is not of the form fmjt_<id>_<secret>"));
    JoinToken stored =
        tokens
            .find(presented.id())
            .filter(t -> JoinTokens.secretMatches(t, presented.secret()))
            .orElseThrow(() -> tokenRefused(presented.id(), JoinTokenLedger.Refusal.UNKNOWN));
    if (stored.revokedAt().isPresent()) {
      throw tokenRefused(stored.id(), JoinTokenLedger.Refusal.REVOKED);
    }
    if (stored.uses() >= stored.maxUses()) {
      throw tokenRefused(stored.id(), JoinTokenLedger.Refusal.USED_UP);
    }
    CertificateRequest csr = read(request.csrPem());
    SpiffeId allowed = new SpiffeId(ca.trustDomain(), stored.env(), stored.service());
    if (!csr.identity().equals(allowed)) {
      throw IssuanceRefused.forbidden(
          "identity-mismatch",
          "join token "
              + stored.id()
              + " is for "
              + allowed
              + ", but the request asks for "
              + csr.identity());
    }
    // Only now is the token spent: a request for the wrong identity does not use it up.
    if (tokens.use(stored.id()) instanceof JoinTokenLedger.Use.Refused refused) {
      throw tokenRefused(stored.id(), refused.refusal());
    }
    CertificateAuthority.IssuedSvid issued = ca.issue(csr.publicKey(), allowed);
    record(issued, IssuedCertificate.Via.JOIN_TOKEN, Optional.of(stored.id()), Optional.empty());
    return issued;
  }

  private CertificateAuthority.IssuedSvid renewal(String currentBase64, Request request) {
    X509Certificate current;
    try {
      current = Pem.certificate(Base64.getDecoder().decode(currentBase64), "the current SVID");
    } catch (IllegalArgumentException e) {
      throw IssuanceRefused.unauthenticated(
          "svid-malformed",
          "the Svid credential must be the base64 DER of the current SVID: " + e.getMessage());
    }
    SpiffeId identity;
    try {
      identity = ca.validate(current);
    } catch (SvidRejectedException e) {
      throw IssuanceRefused.unauthenticated(
          "svid-" + e.reason().label().replace('_', '-'), e.getMessage());
    }
    byte[] proof;
    try {
      proof =
          Base64.getDecoder()
              .decode(
                  request
                      .proof()
                      .orElseThrow(
                          () ->
                              IssuanceRefused.badRequest(
                                  "proof-missing",
                                  "a renewal needs \"proof\": base64 of the current key's"
                                      + " signature over the new request's DER")));
    } catch (IllegalArgumentException e) {
      throw IssuanceRefused.badRequest("proof-malformed", "\"proof\" is not base64");
    }
    byte[] csrDer = csrDer(request.csrPem());
    if (!PossessionProof.verify(current.getPublicKey(), csrDer, proof)) {
      throw IssuanceRefused.unauthenticated(
          "proof-invalid",
          "the proof does not verify with the current SVID's key over this request");
    }
    CertificateRequest csr = read(csrDer);
    if (!csr.identity().equals(identity)) {
      throw IssuanceRefused.forbidden(
          "identity-mismatch",
          "the current SVID is for " + identity + ", but the request asks for " + csr.identity());
    }
    CertificateAuthority.IssuedSvid issued = ca.issue(csr.publicKey(), identity);
    record(
        issued,
        IssuedCertificate.Via.RENEWAL,
        Optional.empty(),
        Optional.of(current.getSerialNumber().toString(16)));
    return issued;
  }

  private void record(
      CertificateAuthority.IssuedSvid issued,
      IssuedCertificate.Via via,
      Optional<String> tokenId,
      Optional<String> renewed) {
    String serial = issued.leaf().getSerialNumber().toString(16);
    ledger.record(
        new IssuedCertificate(
            serial,
            issued.identity().toString(),
            issued.leaf().getNotAfter().toInstant(),
            via,
            tokenId,
            renewed,
            issued.issuerFingerprint()));
    metrics.issued(via.text());
    log.info(
        "issued SVID identity={} serial={} notAfter={} via={}{}",
        issued.identity(),
        serial,
        issued.leaf().getNotAfter().toInstant(),
        via.text(),
        tokenId.map(t -> " token=" + t).orElse(renewed.map(r -> " renewed=" + r).orElse("")));
  }

  private static IssuanceRefused tokenRefused(String id, JoinTokenLedger.Refusal refusal) {
    return IssuanceRefused.unauthenticated(
        "token-" + refusal.text().replace(' ', '-'), "join token " + id + " is " + refusal.text());
  }

  private static byte[] csrDer(String pem) {
    try {
      return Pem.decodeCertificateRequest(pem);
    } catch (IllegalArgumentException e) {
      throw IssuanceRefused.badRequest("csr-malformed", "\"csr\": " + e.getMessage());
    }
  }

  private static CertificateRequest read(String pem) {
    return read(csrDer(pem));
  }

  private static CertificateRequest read(byte[] der) {
    try {
      return CertificateRequests.read(der);
    } catch (CertificateRequestRefused e) {
      throw IssuanceRefused.badRequest("csr-" + e.reason().code(), "\"csr\": " + e.getMessage());
    }
  }
}
