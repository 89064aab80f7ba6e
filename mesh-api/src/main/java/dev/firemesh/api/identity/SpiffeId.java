package dev.firemesh.api.identity;

import java.util.Objects;
import java.util.Optional;

/**
 * A workload's identity: {@code spiffe://<trust-domain>/env/<env>/svc/<service>}, carried as the
 * URI SAN of its X.509 SVID.
 *
 * <p>The trust domain follows the SPIFFE specification (lower-case letters, digits, {@code .},
 * {@code -}, {@code _}; at most 255 characters); environment and service are DNS labels, as service
 * names are everywhere else in FireMesh. Parsing is exact: no percent-encoding, no dot segments, no
 * query, fragment, port or user info, so two spellings can never name one identity.
 */
public record SpiffeId(String trustDomain, String env, String service) {
  public static final String SCHEME_PREFIX = "spiffe://";

  public SpiffeId {
    Objects.requireNonNull(trustDomain, "trustDomain");
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(service, "service");
    if (!isTrustDomain(trustDomain)) {
      throw new IllegalArgumentException(
          "trust domain must be 1-255 of a-z 0-9 . - _ : '" + trustDomain + "'");
    }
    if (!isLabel(env)) {
      throw new IllegalArgumentException(
          "env must be a DNS label (a-z 0-9 -, at most 63): '" + env + "'");
    }
    if (!isLabel(service)) {
      throw new IllegalArgumentException(
          "service must be a DNS label (a-z 0-9 -, at most 63): '" + service + "'");
    }
  }

  /** The identity {@code text} spells, or empty if it is not exactly of this shape. */
  public static Optional<SpiffeId> parse(String text) {
    if (text == null || !text.startsWith(SCHEME_PREFIX)) {
      return Optional.empty();
    }
    String rest = text.substring(SCHEME_PREFIX.length());
    String[] parts = rest.split("/", -1);
    if (parts.length != 5 || !parts[1].equals("env") || !parts[3].equals("svc")) {
      return Optional.empty();
    }
    if (!isTrustDomain(parts[0]) || !isLabel(parts[2]) || !isLabel(parts[4])) {
      return Optional.empty();
    }
    return Optional.of(new SpiffeId(parts[0], parts[2], parts[4]));
  }

  /** The trust domain's own ID, {@code spiffe://<trust-domain>}. */
  public String trustDomainId() {
    return SCHEME_PREFIX + trustDomain;
  }

  @Override
  public String toString() {
    return SCHEME_PREFIX + trustDomain + "/env/" + env + "/svc/" + service;
  }

  /** A SPIFFE trust domain name. */
  public static boolean isTrustDomain(String name) {
    if (name == null || name.isEmpty() || name.length() > 255) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_')) {
        return false;
      }
    }
    return true;
  }

  /** A DNS label: 1-63 of a-z 0-9 and {@code -}, not starting or ending with {@code -}. */
  public static boolean isLabel(String name) {
    if (name == null || name.isEmpty() || name.length() > 63) {
      return false;
    }
    if (name.charAt(0) == '-' || name.charAt(name.length() - 1) == '-') {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return true;
  }
}
