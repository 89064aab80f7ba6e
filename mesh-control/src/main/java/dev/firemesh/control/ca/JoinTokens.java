package dev.firemesh.control.ca;

import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.store.ca.JoinToken;
import dev.firemesh.store.ca.JoinTokenLedger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Join tokens: what an operator hands a new workload so it can get its first SVID. A token reads
 * {@code fmjt_<id>_<secret>}: the id (16 hex digits) names the stored row; the secret (32 random
 * bytes, base64url) is shown once, at creation, and stored only as its SHA-256.
 */
public final class JoinTokens {
  public static final String PREFIX = "fmjt_";
  public static final Duration DEFAULT_TTL = Duration.ofHours(1);
  public static final Duration MAX_TTL = Duration.ofDays(30);
  public static final int MAX_USES = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A token just made: the only time its full text exists outside the workload. */
  public record Created(String token, JoinToken stored) {
    @Override
    public String toString() {
      return "Created[" + stored.id() + "]";
    }
  }

  /** A token as presented: its id and secret. */
  record Presented(String id, String secret) {}

  private final JoinTokenLedger ledger;

  public JoinTokens(JoinTokenLedger ledger) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
  }

  /**
   * Makes a token for {@code service} in {@code env}.
   *
   * @throws IllegalArgumentException naming the field that is wrong
   */
  public Created create(String service, String env, Duration ttl, int uses, String createdBy) {
    if (!SpiffeId.isLabel(service)) {
      throw new IllegalArgumentException(
          "service must be a DNS label (a-z 0-9 -, at most 63), got '" + service + "'");
    }
    if (!SpiffeId.isLabel(env)) {
      throw new IllegalArgumentException(
          "env must be a DNS label (a-z 0-9 -, at most 63), got '" + env + "'");
    }
    if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException(
          "ttl must be between 1 second and 30 days, got " + ttl.toSeconds() + " s");
    }
    if (uses < 1 || uses > MAX_USES) {
      throw new IllegalArgumentException(
          "uses must be between 1 and " + MAX_USES + ", got " + uses);
    }
    byte[] idBytes = new byte[8];
    RANDOM.nextBytes(idBytes);
    String id = HexFormat.of().formatHex(idBytes);
    byte[] secretBytes = new byte[32];
    RANDOM.nextBytes(secretBytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
    JoinToken stored = ledger.create(id, sha256(secret), service, env, ttl, uses, createdBy);
    return new Created(PREFIX + id + "_" + secret, stored);
  }

  public List<JoinToken> list() {
    return ledger.all();
  }

  public Optional<JoinToken> find(String id) {
    return ledger.find(id);
  }

  public Optional<JoinToken> revoke(String id) {
    return ledger.revoke(id);
  }

  /** Uses the token once, atomically; see {@link JoinTokenLedger#use}. */
  public JoinTokenLedger.Use use(String id) {
    return ledger.use(id);
  }

  /** Splits a presented token; empty if it is not of the form {@code fmjt_<id>_<secret>}. */
  static Optional<Presented> parse(String token) {
    if (token == null || !token.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String rest = token.substring(PREFIX.length());
    int split = rest.indexOf('_');
    if (split != 16 || rest.length() == split + 1) {
      return Optional.empty();
    }
    String id = rest.substring(0, split);
    for (int i = 0; i < id.length(); i++) {
      if (Character.digit(id.charAt(i), 16) < 0 || Character.isUpperCase(id.charAt(i))) {
        return Optional.empty();
      }
    }
    return Optional.of(new Presented(id, rest.substring(split + 1)));
  }

  /** Whether {@code secret} is the stored token's, compared in constant time. */
  static boolean secretMatches(JoinToken stored, String secret) {
    return MessageDigest.isEqual(
        stored.secretSha256().getBytes(StandardCharsets.US_ASCII),
        sha256(secret).getBytes(StandardCharsets.US_ASCII));
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
