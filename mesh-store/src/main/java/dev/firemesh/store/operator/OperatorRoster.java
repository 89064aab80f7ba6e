package dev.firemesh.store.operator;

import dev.firemesh.store.Database;
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
 * The operators of the admin API, in PostgreSQL. Expiry is stored from the database's clock, so
 * replicas agree on it; a name is never reused (a revoked operator keeps its row, for the record).
 */
public final class OperatorRoster {
  private static final String COLUMNS =
      "name, role, token_id, token_sha256, certificate_identity, created_by, created_at,"
          + " expires_at, revoked_at, revoked_by";

  private final Database database;

  public OperatorRoster(Database database) {
    this.database = Objects.requireNonNull(database, "database");
  }

  /**
   * Records a new operator.
   *
   * @param ttl how long its token lives from the database's now; empty: until revoked
   * @return empty if the name is taken (revoked operators included)
   */
  public Optional<StoredOperator> create(
      String name,
      String role,
      String tokenId,
      String tokenSha256,
      Optional<Duration> ttl,
      String createdBy) {
    return database.transaction(
        "create operator " + name,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  """
                  insert into operators (name, role, token_id, token_sha256, created_by, expires_at)
                  values (?, ?, ?, ?, ?, case when ? < 0 then null
                                              else now() + ? * interval '1 millisecond' end)
                  on conflict (name) do nothing
                  returning\s"""
                      + COLUMNS)) {
            long millis = ttl.map(Duration::toMillis).orElse(-1L);
            s.setString(1, name);
            s.setString(2, role);
            s.setString(3, tokenId);
            s.setString(4, tokenSha256);
            s.setString(5, createdBy);
            s.setLong(6, millis);
            s.setLong(7, millis);
            return read(s).stream().findFirst();
          }
        });
  }

  public Optional<StoredOperator> find(String name) {
    return one("read operator " + name, "name = ?", name);
  }

  public Optional<StoredOperator> findByTokenId(String tokenId) {
    return one("read operator by token " + tokenId, "token_id = ?", tokenId);
  }

  public Optional<StoredOperator> findByCertificateIdentity(String identity) {
    return one("read operator " + identity, "certificate_identity = ?", identity);
  }

  /** Every operator, revoked ones included, by name. */
  public List<StoredOperator> all() {
    return database.transaction(
        "read operators",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("select " + COLUMNS + " from operators order by name")) {
            return read(s);
          }
        });
  }

  /** Records the identity of the client certificate just issued to a live operator. */
  public Optional<StoredOperator> setCertificateIdentity(String name, String identity) {
    return database.transaction(
        "set certificate of operator " + name,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "update operators set certificate_identity = ? where name = ?"
                      + " and revoked_at is null returning "
                      + COLUMNS)) {
            s.setString(1, identity);
            s.setString(2, name);
            return read(s).stream().findFirst();
          }
        });
  }

  /** Revokes the operator (again: a no-op); empty if there is no such operator. */
  public Optional<StoredOperator> revoke(String name, String revokedBy) {
    return database.transaction(
        "revoke operator " + name,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  """
                  update operators set revoked_at = coalesce(revoked_at, now()),
                                       revoked_by = coalesce(revoked_by, ?)
                  where name = ? returning\s"""
                      + COLUMNS)) {
            s.setString(1, revokedBy);
            s.setString(2, name);
            return read(s).stream().findFirst();
          }
        });
  }

  private Optional<StoredOperator> one(String what, String where, String value) {
    return database.transaction(
        what,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("select " + COLUMNS + " from operators where " + where)) {
            s.setString(1, value);
            return read(s).stream().findFirst();
          }
        });
  }

  private static List<StoredOperator> read(PreparedStatement s) throws SQLException {
    List<StoredOperator> operators = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        operators.add(
            new StoredOperator(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                Optional.ofNullable(rs.getString(5)),
                rs.getString(6),
                rs.getTimestamp(7).toInstant(),
                instant(rs.getTimestamp(8)),
                instant(rs.getTimestamp(9)),
                Optional.ofNullable(rs.getString(10))));
      }
    }
    return operators;
  }

  private static Optional<java.time.Instant> instant(Timestamp t) {
    return Optional.ofNullable(t).map(Timestamp::toInstant);
  }
}
