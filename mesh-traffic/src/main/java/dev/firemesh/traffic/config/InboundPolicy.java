package dev.firemesh.traffic.config;

import java.util.List;
import java.util.Objects;

/**
 * What a service's own sidecars enforce on calls they receive, before the local application sees
 * them: the mutual TLS mode, local rate limits; authorization joins them here.
 *
 * @param mtls whether plaintext peers are still accepted
 * @param rateLimits in order: the first rule whose match accepts a request applies
 */
public record InboundPolicy(MtlsMode mtls, List<RateLimitRule> rateLimits) {
  public static final InboundPolicy NONE = new InboundPolicy(MtlsMode.PERMISSIVE, List.of());

  /** How a sidecar's inbound listener treats peers. */
  public enum MtlsMode {
    /** mTLS when the peer offers it, plaintext accepted too (migration, or no identities yet). */
    PERMISSIVE,
    /** Only verified mTLS peers; plaintext and unverifiable certificates are refused. */
    STRICT
  }

  public InboundPolicy {
    Objects.requireNonNull(mtls, "mtls");
    rateLimits = List.copyOf(rateLimits);
  }

  public InboundPolicy(List<RateLimitRule> rateLimits) {
    this(MtlsMode.PERMISSIVE, rateLimits);
  }
}
