package dev.firemesh.control.operator;

import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.store.operator.OperatorRoster;
import dev.firemesh.store.operator.StoredOperator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's operators and their credentials. A token reads {@code fmop_<id>_<secret>}: the id
 * (16 hex digits) finds the row, the secret (32 random bytes, base64url) is shown once and stored
 * as its SHA-256, compared in constant time. A client certificate's identity is {@code
 * spiffe://<trust-domain>/operator/<name>}, a path {@link SpiffeId#parse} refuses, so no operator
 * certificate can pass for a workload's SVID and no SVID for an operator's certificate.
 */
public final class Operators implements Authenticator {
  private static final Logger log = LoggerFactory.getLogger(Operators.class);
  public static final String PREFIX = "fmop_";
  public static final Duration MAX_TTL = Duration.ofDays(366);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** An operator just made: the only time its token's full text exists. */
  public record Created(String token, StoredOperator stored) {
    @Override
    public String toString() {
      return "Created[" + stored.name() + "]";
    }
  }

  private final OperatorRoster roster;
  private final String trustDomain;
  private final Clock clock;

  public Operators(OperatorRoster roster, String trustDomain, Clock clock) {
    this.roster = Objects.requireNonNull(roster, "roster");
    this.trustDomain = Objects.requireNonNull(trustDomain, "trustDomain");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Makes an operator with a fresh token.
   *
   * @param ttl how long the token lives; empty: until revoked
   * @throws IllegalArgumentException naming what is wrong (name, ttl)
   * @throws IllegalStateException if the name is taken
   */
  public Created create(String name, Role role, Optional<Duration> ttl, Principal by) {
    requireName(name);
    ttl.ifPresent(
        t -> {
          if (t.compareTo(Duration.ofSeconds(1)) < 0 || t.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException(
                "ttl must be between 1 second and 366 days, got " + t.toSeconds() + " s");
          }
        });
    byte[] idBytes = new byte[8];
    RANDOM.nextBytes(idBytes);
    String id = HexFormat.of().formatHex(idBytes);
    byte[] secretBytes = new byte[32];
    RANDOM.nextBytes(secretBytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
    StoredOperator stored =
        roster
            .create(name, role.wireName(), id, sha256(secret), ttl, by.actor())
            .orElseThrow(
                () ->
                    new OperatorExistsException(
                        "an operator named '"
                            + name
                            + "' exists (or existed: names of revoked operators are not reused)"));
    log.info(
        "operator created name={} role={} expiresAt={} by={}",
        name,
        role.wireName(),
        stored.expiresAt().map(Object::toString).orElse("never"),
        by.actor());
    return new Created(PREFIX + id + "_" + secret, stored);
  }

  public List<StoredOperator> list() {
    return roster.all();
  }

  public Optional<StoredOperator> find(String name) {
    return roster.find(name);
  }

  /** Revokes the operator's token and certificate at once; empty if there is no such operator. */
  public Optional<StoredOperator> revoke(String name, Principal by) {
    Optional<StoredOperator> revoked = roster.revoke(name, by.actor());
    revoked.ifPresent(o -> log.info("operator revoked name={} by={}", name, by.actor()));
    return revoked;
  }

  /** The URI SAN of {@code name}'s client certificate. */
  public String certificateIdentity(String name) {
    requireName(name);
    return SpiffeId.SCHEME_PREFIX + trustDomain + "/operator/" + name;
  }

  /**
   * Records that a client certificate naming {@link #certificateIdentity} was issued to the live
   * operator {@code name}; empty if there is no such live operator (nothing should be issued).
   */
  public Optional<StoredOperator> recordCertificate(String name, Principal by) {
    Optional<StoredOperator> live = roster.find(name).filter(o -> o.liveAt(clock.instant()));
    if (live.isEmpty()) {
      return Optional.empty();
    }
    Optional<StoredOperator> stored =
        roster.setCertificateIdentity(name, certificateIdentity(name));
    stored.ifPresent(
        o ->
            log.info(
                "operator certificate issued name={} identity={} by={}",
                name,
                o.certificateIdentity().orElse(""),
                by.actor()));
    return stored;
  }

  @Override
  public Optional<Principal.Operator> byToken(String token) {
    if (token == null || !token.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String rest = token.substring(PREFIX.length());
    int split = rest.indexOf('_');
    if (split != 16 || rest.length() == split + 1) {
      return Optional.empty();
    }
    String id = rest.substring(0, split);
    if (!id.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return Optional.empty();
    }
    String secret = rest.substring(split + 1);
    return roster
        .findByTokenId(id)
        .filter(
            o ->
                MessageDigest.isEqual(
                    o.tokenSha256().getBytes(StandardCharsets.US_ASCII),
                    sha256(secret).getBytes(StandardCharsets.US_ASCII)))
        .filter(o -> o.liveAt(clock.instant()))
        .map(Operators::principal);
  }

  @Override
  public Optional<Principal.Operator> byCertificate(String identity) {
    return roster
        .findByCertificateIdentity(identity)
        .filter(o -> o.liveAt(clock.instant()))
        .map(Operators::principal);
  }

  @Override
  public Optional<Principal.Operator> byName(String name) {
    return roster.find(name).filter(o -> o.liveAt(clock.instant())).map(Operators::principal);
  }

  private static Principal.Operator principal(StoredOperator o) {
    return new Principal.Operator(o.name(), Role.parse(o.role()));
  }

  /** A DNS label, and not the bootstrap admin's name. */
  static void requireName(String name) {
    if (!SpiffeId.isLabel(name)) {
      throw new IllegalArgumentException(
          "operator name must be a DNS label (a-z 0-9 -, at most 63), got '" + name + "'");
    }
    if (name.equals(Principal.BOOTSTRAP_ADMIN)) {
      throw new IllegalArgumentException(
          "'" + Principal.BOOTSTRAP_ADMIN + "' is the holder of <data-dir>/admin.token");
    }
  }

  private static String sha256(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(secret.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
