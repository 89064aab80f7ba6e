package dev.firemesh.store.ca;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A CA rotation under way: a new intermediate (and, if {@link #rootRotated}, a new root) has been
 * prepared and is trusted; once activated it signs, and the old ones are retired by the last step,
 * which also ends the rotation.
 *
 * @param oldRoot the root being replaced; empty when the root stays
 * @param newRoot the root replacing it; empty when the root stays
 * @param preparedAt when the new certificates joined the trust bundle (the database's clock)
 * @param activatedAt when the new intermediate began to sign
 * @param preparedBy the operator who prepared it
 */
public record CaRotation(
    Stage stage,
    String oldIntermediate,
    String newIntermediate,
    Optional<String> oldRoot,
    Optional<String> newRoot,
    Instant preparedAt,
    Optional<Instant> activatedAt,
    String preparedBy) {

  /** Where the rotation stands. */
  public enum Stage {
    /** The new certificates are trusted; the old intermediate still signs. */
    PREPARED,
    /** The new intermediate signs; the old ones are still trusted. */
    ACTIVATED;

    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public CaRotation {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(oldIntermediate, "oldIntermediate");
    Objects.requireNonNull(newIntermediate, "newIntermediate");
    Objects.requireNonNull(oldRoot, "oldRoot");
    Objects.requireNonNull(newRoot, "newRoot");
    Objects.requireNonNull(preparedAt, "preparedAt");
    Objects.requireNonNull(activatedAt, "activatedAt");
    Objects.requireNonNull(preparedBy, "preparedBy");
    if (oldRoot.isPresent() != newRoot.isPresent()) {
      throw new IllegalArgumentException("a new root replaces an old one, or neither is given");
    }
  }

  public boolean rootRotated() {
    return newRoot.isPresent();
  }
}
