package dev.firemesh.control.operator;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What an operator may do on the admin API; each role includes the ones before it. */
public enum Role {
  /** Every read: resources, revisions, diffs, instances, nodes, canaries, metrics. */
  VIEWER,
  /** A viewer who also changes the mesh: apply, delete, rollback, instances by hand. */
  OPERATOR,
  /** Everything: join tokens, operators, the certificate authority. */
  ADMIN;

  /** Whether holding this role allows what {@code needed} allows. */
  public boolean includes(Role needed) {
    return compareTo(needed) >= 0;
  }

  /**
   * As it is written on the wire and in the store: {@code viewer}, {@code operator}, {@code admin}.
   */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> fromWireName(String name) {
    return Arrays.stream(values()).filter(r -> r.wireName().equals(name)).findFirst();
  }

  /**
   * The role {@code name} spells; an {@link IllegalArgumentException} listing the roles if none.
   */
  public static Role parse(String name) {
    return fromWireName(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "role must be one of viewer, operator, admin, got '" + name + "'"));
  }
}
