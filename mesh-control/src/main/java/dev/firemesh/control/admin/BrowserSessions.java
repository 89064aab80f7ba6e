package dev.firemesh.control.admin;

import dev.firemesh.control.operator.Principal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's browser sessions: an operator logs in once with a token (or a client certificate)
 * and the browser then carries a random session id in the cookie {@value #COOKIE}.
 *
 * <p>Sessions live in this process's memory only: each control-plane replica has its own, a restart
 * ends them all, and a browser behind a load balancer needs affinity to one replica. The id is 256
 * random bits; the map is keyed by its SHA-256, so a lookup's timing says nothing about how much of
 * a guessed id was right, and the ids themselves are not kept. A session lasts {@link #LIFETIME}
 * from login, whatever its use.
 */
public final class BrowserSessions {
  public static final String COOKIE = "firemesh_session";
  public static final Duration LIFETIME = Duration.ofHours(8);

  /**
   * Beyond this many live sessions a login is refused: memory stays bounded whoever logs in how
   * often (each login is an operator's, so this is a fault, not an attack surface).
   */
  static final int MAX_SESSIONS = 10_000;

  private static final SecureRandom RANDOM = new SecureRandom();

  /** One logged-in browser. */
  public record Session(Principal.Operator operator, Instant expiresAt) {}

  /** A new session: the id for the cookie, shown once, and what it holds. */
  public record Opened(String id, Session session) {
    @Override
    public String toString() {
      return "Opened[" + session + "]";
    }
  }

  private final Map<String, Session> byIdHash = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration lifetime;

  public BrowserSessions(Clock clock) {
    this(clock, LIFETIME);
  }

  BrowserSessions(Clock clock, Duration lifetime) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
  }

  /**
   * Opens a session for an operator.
   *
   * @throws ApiException 503 when {@link #MAX_SESSIONS} live sessions exist
   */
  public Opened open(Principal.Operator operator) {
    Instant now = clock.instant();
    if (byIdHash.size() >= MAX_SESSIONS) {
      byIdHash.values().removeIf(s -> !now.isBefore(s.expiresAt()));
      if (byIdHash.size() >= MAX_SESSIONS) {
        throw new ApiException(
            503,
            "too_many_sessions",
            MAX_SESSIONS + " browser sessions are open on this control plane; try again later");
      }
    }
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Session session = new Session(operator, now.plus(lifetime));
    byIdHash.put(hash(id), session);
    return new Opened(id, session);
  }

  /** The live session with this id; an expired one is forgotten on the way. */
  public Optional<Session> find(String id) {
    String key = hash(id);
    Session session = byIdHash.get(key);
    if (session == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(session.expiresAt())) {
      byIdHash.remove(key, session);
      return Optional.empty();
    }
    return Optional.of(session);
  }

  /** Ends a session (logout, or its operator is no longer live); unknown ids are ignored. */
  public void close(String id) {
    byIdHash.remove(hash(id));
  }

  int size() {
    return byIdHash.size();
  }

  /**
   * The session id among the {@code Cookie} headers of a request, if there is one. Names are
   * matched exactly; the last value wins when a browser sends the cookie twice (it sends the more
   * specific path first, and ours has one path).
   */
  public static Optional<String> idIn(List<String> cookieHeaders) {
    if (cookieHeaders == null) {
      return Optional.empty();
    }
    String found = null;
    for (String header : cookieHeaders) {
      for (String pair : header.split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).strip().equals(COOKIE)) {
          String value = pair.substring(eq + 1).strip();
          if (!value.isEmpty()) {
            found = value;
          }
        }
      }
    }
    return Optional.ofNullable(found);
  }

  /**
   * The {@code Set-Cookie} value that gives a browser its session: never readable by scripts
   * ({@code HttpOnly}), sent over TLS only ({@code Secure}) and never with a request another site
   * started ({@code SameSite=Strict}).
   */
  public String cookie(Opened opened) {
    return COOKIE
        + "="
        + opened.id()
        + "; Path=/; Max-Age="
        + lifetime.toSeconds()
        + "; HttpOnly; Secure; SameSite=Strict";
  }

  /** The {@code Set-Cookie} value that makes a browser forget its session. */
  public static String expiredCookie() {
    return COOKIE + "=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict";
  }

  private static String hash(String id) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
