package dev.firemesh.proxy.tls;

import dev.firemesh.identity.SvidRejectedException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.util.Locale;

/**
 * Why a connection between sidecars did not become a verified mTLS connection. The labels are
 * metric label values: a fixed set, so refusals can be counted without unbounded series.
 */
public enum HandshakeFailure {
  /** Strict inbound: the peer spoke plaintext. */
  PLAINTEXT,
  /** Strict inbound, but this sidecar has no credentials to serve TLS with. */
  NO_CREDENTIALS,
  /** The client presented no certificate. */
  NO_CLIENT_CERTIFICATE,
  /** The chain leads to no root of the trust bundle (self-signed, another CA). */
  UNTRUSTED,
  EXPIRED,
  NOT_YET_VALID,
  /** The leaf names no mesh SPIFFE ID. */
  NO_SPIFFE_ID,
  WRONG_TRUST_DOMAIN,
  /** Not an SVID at all (CA:true leaf, several URI SANs). */
  MALFORMED,
  /** Caller side: the peer proved another identity than the endpoint's. */
  WRONG_IDENTITY,
  /** An old protocol version or a cipher suite outside the allowed set. */
  PROTOCOL,
  /** Anything else: a timeout, an alert from the peer, a reset. */
  HANDSHAKE;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The coarser reason of {@code firemesh_proxy_upstream_tls_failures_total}: wrong_identity,
   * untrusted, expired or handshake.
   */
  public String upstreamLabel() {
    return switch (this) {
      case WRONG_IDENTITY -> "wrong_identity";
      case UNTRUSTED, NO_SPIFFE_ID, WRONG_TRUST_DOMAIN, MALFORMED -> "untrusted";
      case EXPIRED, NOT_YET_VALID -> "expired";
      default -> "handshake";
    };
  }

  /** The reason a handshake failed with {@code cause}. */
  public static HandshakeFailure of(Throwable cause) {
    StringBuilder messages = new StringBuilder();
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SvidRejectedException rejected) {
        return switch (rejected.reason()) {
          case EXPIRED -> EXPIRED;
          case NOT_YET_VALID -> NOT_YET_VALID;
          case UNTRUSTED -> UNTRUSTED;
          case NO_SPIFFE_ID -> NO_SPIFFE_ID;
          case WRONG_TRUST_DOMAIN -> WRONG_TRUST_DOMAIN;
          case MALFORMED -> MALFORMED;
        };
      }
      if (t instanceof UpstreamTlsException upstream) {
        return upstream.failure();
      }
      if (t instanceof SslHandshakeTimeoutException) {
        return HANDSHAKE;
      }
      if (t.getMessage() != null) {
        messages.append(t.getMessage().toLowerCase(Locale.ROOT)).append('\n');
      }
    }
    String text = messages.toString();
    // JSSE and BoringSSL word these differently; both are matched.
    if (text.contains("empty client certificate chain")
        || text.contains("peer_did_not_return_a_certificate")
        || text.contains("certificate_required")
        || text.contains("null cert chain")) {
      return NO_CLIENT_CERTIFICATE;
    }
    if (text.contains("protocol_version")
        || text.contains("unsupported_protocol")
        || text.contains("not enabled or supported")
        || text.contains("no appropriate protocol")
        || text.contains("no_shared_cipher")
        || text.contains("wrong_curve")
        || text.contains("no_shared_group")
        || text.contains("no cipher suites in common")
        || text.contains("wrong_version_number")) {
      return PROTOCOL;
    }
    return HANDSHAKE;
  }
}
