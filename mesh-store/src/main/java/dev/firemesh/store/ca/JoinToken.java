package dev.firemesh.store.ca;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored join token: what it lets a workload become and how often, never its secret.
 *
 * @param secretSha256 the SHA-256 of the secret, hex; compared in constant time by the caller
 */
public record JoinToken(
    String id,
    String secretSha256,
    String service,
    String env,
    Instant expiresAt,
    int maxUses,
    int uses,
    String createdBy,
    Instant createdAt,
    Optional<Instant> revokedAt) {

  public JoinToken {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(secretSha256, "secretSha256");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(createdBy, "createdBy");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(revokedAt, "revokedAt");
  }
}
