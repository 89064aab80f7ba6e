package dev.firemesh.api.resource;

/** One document: {@code apiVersion}, {@code kind}, {@code metadata} and a kind-specific spec. */
public sealed interface Resource
    permits Service,
        Route,
        TrafficPolicy,
        AuthorizationPolicy,
        Config,
        RateLimit,
        Canary,
        MutualTls {

  Kind kind();

  Metadata metadata();

  default String name() {
    return metadata().name();
  }

  /** The resource's identity in the store and in error messages, e.g. {@code Route/orders}. */
  default ResourceKey key() {
    return new ResourceKey(kind(), name());
  }
}
