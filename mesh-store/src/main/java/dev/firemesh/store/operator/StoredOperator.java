package dev.firemesh.store.operator;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An operator of the admin API as stored: name, role and credentials' fingerprints, never a secret.
 *
 * @param role {@code viewer}, {@code operator} or {@code admin}
 * @param tokenSha256 the SHA-256 of the token's secret, hex; compared in constant time by the
 *     caller
 * @param certificateIdentity the URI SAN of the client certificate issued to it, if one was
 * @param expiresAt when its token lapses; empty: until revoked
 */
public record StoredOperator(
    String name,
    String role,
    String tokenId,
    String tokenSha256,
    Optional<String> certificateIdentity,
    String createdBy,
    Instant createdAt,
    Optional<Instant> expiresAt,
    Optional<Instant> revokedAt,
    Optional<String> revokedBy) {

  public StoredOperator {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(tokenId, "tokenId");
    Objects.requireNonNull(tokenSha256, "tokenSha256");
    Objects.requireNonNull(certificateIdentity, "certificateIdentity");
    Objects.requireNonNull(createdBy, "createdBy");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(revokedAt, "revokedAt");
    Objects.requireNonNull(revokedBy, "revokedBy");
  }

  /** Not revoked and not expired at {@code now}. */
  public boolean liveAt(Instant now) {
    return revokedAt.isEmpty() && expiresAt.map(now::isBefore).orElse(true);
  }
}
