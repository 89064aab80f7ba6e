package dev.firemesh.store.ca;

import dev.firemesh.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Join tokens and their uses, in PostgreSQL. Time is the database's ({@code now()}), so replicas
 * with drifting clocks agree on expiry, and a use is one conditional {@code UPDATE}: however many
 * replicas take the same token at once, it is used at most {@code max_uses} times.
 */
public final class JoinTokenLedger {
  private static final String COLUMNS =
      "id, secret_sha256, service, env, expires_at, max_uses, uses, created_by, created_at, revoked_at";

  /** Why a token could not be used. */
  public enum Refusal {
    UNKNOWN("unknown"),
    EXPIRED("expired"),
    USED_UP("used up"),
    REVOKED("revoked");

    private final String text;

    Refusal(String text) {
      this.text = text;
    }

    /** As users read it: "unknown", "expired", "used up", "revoked". */
    public String text() {
      return text;
    }
  }

  /** The outcome of a use: the token as it stands after it, or why it was refused. */
  public sealed interface Use {
    record Taken(JoinToken token) implements Use {}

    record Refused(Refusal refusal) implements Use {}
  }

  private final Database database;

  public JoinTokenLedger(Database database) {
    this.database = Objects.requireNonNull(database, "database");
  }

  /** Records a new token, valid for {@code ttl} from the database's now. */
  public JoinToken create(
      String id,
      String secretSha256,
      String service,
      String env,
      Duration ttl,
      int maxUses,
      String createdBy) {
    return database.transaction(
        "create join token " + id,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  """
                  insert into join_tokens (id, secret_sha256, service, env, expires_at, max_uses,
                                           created_by)
                  values (?, ?, ?, ?, now() + ? * interval '1 millisecond', ?, ?)
                  returning\s"""
                      + COLUMNS)) {
            s.setString(1, id);
            s.setString(2, secretSha256);
            s.setString(3, service);
            s.setString(4, env);
            s.setLong(5, ttl.toMillis());
            s.setInt(6, maxUses);
            s.setString(7, createdBy);
            return read(s).getFirst();
          }
        });
  }

  /** The token, whatever its state. */
  public Optional<JoinToken> find(String id) {
    return database.transaction(
        "read join token " + id,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("select " + COLUMNS + " from join_tokens where id = ?")) {
            s.setString(1, id);
            return read(s).stream().findFirst();
          }
        });
  }

  /** Every token, newest first. */
  public List<JoinToken> all() {
    return database.transaction(
        "read join tokens",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select " + COLUMNS + " from join_tokens order by created_at desc, id")) {
            return read(s);
          }
        });
  }

  /**
   * Uses the token once if it is live (not revoked, not expired, not used up), in one statement;
   * else says why not.
   */
  public Use use(String id) {
    return database.transaction(
        "use join token " + id,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  """
                  update join_tokens set uses = uses + 1
                  where id = ? and revoked_at is null and expires_at > now() and uses < max_uses
                  returning\s"""
                      + COLUMNS)) {
            s.setString(1, id);
            List<JoinToken> taken = read(s);
            if (!taken.isEmpty()) {
              return new Use.Taken(taken.getFirst());
            }
          }
          return new Use.Refused(refusal(c, id));
        });
  }

  private static Refusal refusal(Connection c, String id) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            """
            select revoked_at is not null, uses >= max_uses, expires_at <= now()
            from join_tokens where id = ?""")) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Refusal.UNKNOWN;
        }
        if (rs.getBoolean(1)) {
          return Refusal.REVOKED;
        }
        if (rs.getBoolean(2)) {
          return Refusal.USED_UP;
        }
        // Expired, or it expired between the update and this read: either way, expired.
        return Refusal.EXPIRED;
      }
    }
  }

  /** Revokes the token (a no-op if it already was); empty if there is no such token. */
  public Optional<JoinToken> revoke(String id) {
    return database.transaction(
        "revoke join token " + id,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "update join_tokens set revoked_at = coalesce(revoked_at, now()) where id = ?"
                      + " returning "
                      + COLUMNS)) {
            s.setString(1, id);
            return read(s).stream().findFirst();
          }
        });
  }

  private static List<JoinToken> read(PreparedStatement s) throws SQLException {
    List<JoinToken> tokens = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        Timestamp revoked = rs.getTimestamp(10);
        tokens.add(
            new JoinToken(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getTimestamp(5).toInstant(),
                rs.getInt(6),
                rs.getInt(7),
                rs.getString(8),
                rs.getTimestamp(9).toInstant(),
                Optional.ofNullable(revoked).map(Timestamp::toInstant)));
      }
    }
    return tokens;
  }
}
