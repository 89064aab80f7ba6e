package dev.firemesh.store.config;

import dev.firemesh.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The config schema of each service, in PostgreSQL: the latest publication wins. The publication
 * time is the database's, so replicas agree on it.
 */
public final class ConfigSchemas {
  private static final String COLUMNS = "service, schema::text, digest, published_at, published_by";

  private final Database database;

  public ConfigSchemas(Database database) {
    this.database = Objects.requireNonNull(database, "database");
  }

  /** Stores {@code schema} (JSON) as the schema of {@code service}, replacing any before it. */
  public StoredSchema publish(String service, String schema, String digest, String publishedBy) {
    return database.transaction(
        "publish the config schema of " + service,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  """
                  insert into config_schemas (service, schema, digest, published_by)
                  values (?, ?::jsonb, ?, ?)
                  on conflict (service) do update
                    set schema = excluded.schema, digest = excluded.digest,
                        published_at = now(), published_by = excluded.published_by
                  returning\s"""
                      + COLUMNS)) {
            s.setString(1, service);
            s.setString(2, schema);
            s.setString(3, digest);
            s.setString(4, publishedBy);
            return read(s).getFirst();
          }
        });
  }

  public Optional<StoredSchema> find(String service) {
    return database.transaction(
        "read the config schema of " + service,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("select " + COLUMNS + " from config_schemas where service = ?")) {
            s.setString(1, service);
            return read(s).stream().findFirst();
          }
        });
  }

  /** Every published schema, by service. */
  public List<StoredSchema> all() {
    return database.transaction(
        "read the config schemas",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("select " + COLUMNS + " from config_schemas order by service")) {
            return read(s);
          }
        });
  }

  private static List<StoredSchema> read(PreparedStatement s) throws SQLException {
    List<StoredSchema> out = new ArrayList<>();
    try (ResultSet r = s.executeQuery()) {
      while (r.next()) {
        out.add(
            new StoredSchema(
                r.getString(1),
                r.getString(2),
                r.getString(3),
                r.getTimestamp(4).toInstant(),
                r.getString(5)));
      }
    }
    return out;
  }
}
