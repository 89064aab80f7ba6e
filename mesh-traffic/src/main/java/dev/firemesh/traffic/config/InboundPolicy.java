package dev.firemesh.traffic.config;

import java.util.List;

/**
 * What a service's own sidecars enforce on calls they receive, before the local application sees
 * them: local rate limits today; authorization joins them here.
 *
 * @param rateLimits in order: the first rule whose match accepts a request applies
 */
public record InboundPolicy(List<RateLimitRule> rateLimits) {
  public static final InboundPolicy NONE = new InboundPolicy(List.of());

  public InboundPolicy {
    rateLimits = List.copyOf(rateLimits);
  }
}
