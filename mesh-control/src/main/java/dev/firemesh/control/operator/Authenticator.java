package dev.firemesh.control.operator;

import java.util.Optional;

/** Turns an operator's credential into who they are; empty: unknown, revoked or expired. */
public interface Authenticator {
  /** Knows nobody: for an admin server with the bootstrap token only. */
  Authenticator NOBODY =
      new Authenticator() {
        @Override
        public Optional<Principal.Operator> byToken(String token) {
          return Optional.empty();
        }

        @Override
        public Optional<Principal.Operator> byCertificate(String identity) {
          return Optional.empty();
        }
      };

  /** The operator whose token this is (the whole {@code fmop_...} text). */
  Optional<Principal.Operator> byToken(String token);

  /**
   * The operator whose client certificate names {@code identity} (its URI SAN); the certificate's
   * chain was verified before this is asked.
   */
  Optional<Principal.Operator> byCertificate(String identity);

  /**
   * The live operator named {@code name}: a browser session opened earlier holds only while its
   * operator is neither revoked nor expired. Empty by default: an authenticator that cannot tell
   * keeps no session alive.
   */
  default Optional<Principal.Operator> byName(String name) {
    return Optional.empty();
  }
}
