package dev.firemesh.traffic.config;

import dev.firemesh.traffic.authz.AuthorizationRules;
import java.util.List;
import java.util.Objects;

/**
 * What a service's own sidecars enforce on calls they receive, before the local application sees
 * them: the mutual TLS mode, authorization, local rate limits.
 *
 * @param mtls whether plaintext peers are still accepted
 * @param rateLimits in order: the first rule whose match accepts a request applies
 * @param authorization the service's authorization policies, compiled
 */
public record InboundPolicy(
    MtlsMode mtls, List<RateLimitRule> rateLimits, AuthorizationRules authorization) {
  public static final InboundPolicy NONE =
      new InboundPolicy(MtlsMode.PERMISSIVE, List.of(), AuthorizationRules.NONE);

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
    Objects.requireNonNull(authorization, "authorization");
  }

  public InboundPolicy(MtlsMode mtls, List<RateLimitRule> rateLimits) {
    this(mtls, rateLimits, AuthorizationRules.NONE);
  }

  public InboundPolicy(List<RateLimitRule> rateLimits) {
    this(MtlsMode.PERMISSIVE, rateLimits);
  }
}
