package dev.firemesh.traffic.authz;

import dev.firemesh.api.identity.SpiffeId;
import java.util.Optional;

/**
 * Who is calling, as far as it was verified: the SPIFFE ID of the peer's certificate, and the
 * environment and service it names. A plaintext peer is {@link #UNVERIFIED}.
 *
 * @param identity the verified SPIFFE ID; {@code ""} when none
 * @param env the identity's environment; {@code ""} when none or not of the mesh's shape
 * @param service the identity's service; {@code ""} when none or not of the mesh's shape
 */
public record Caller(String identity, String env, String service) {
  public static final Caller UNVERIFIED = new Caller("", "", "");

  /**
   * The caller a verified identity names; an identity not of the mesh's shape keeps only its ID.
   */
  public static Caller of(Optional<String> identity) {
    if (identity.isEmpty() || identity.get().isEmpty()) {
      return UNVERIFIED;
    }
    return SpiffeId.parse(identity.get())
        .map(id -> new Caller(identity.get(), id.env(), id.service()))
        .orElseGet(() -> new Caller(identity.get(), "", ""));
  }

  public boolean verified() {
    return !identity.isEmpty();
  }

  /** How logs name the caller. */
  public String describe() {
    return verified() ? identity : "plaintext peer";
  }
}
