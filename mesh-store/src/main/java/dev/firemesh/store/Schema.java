package dev.firemesh.store;

import java.util.List;

/**
 * A set of migrations a {@link Database} applies when it opens: the control plane's, or a chassis
 * service's own. Each schema keeps its own Flyway history table, so several can share one
 * PostgreSQL (a demo running the control plane and a service on one server) without either taking
 * the other's migrations for its own.
 *
 * @param name what the schema is, for error messages ("FireMesh control plane")
 * @param locations Flyway locations, such as {@code classpath:db/migration/chassis}
 * @param historyTable the table Flyway records applied migrations in
 */
public record Schema(String name, List<String> locations, String historyTable) {
  /** The control plane's schema, as it has always been migrated. */
  public static final Schema CONTROL_PLANE =
      new Schema("FireMesh", List.of("classpath:db/migration/firemesh"), "flyway_schema_history");

  public Schema {
    locations = List.copyOf(locations);
    if (name.isBlank() || locations.isEmpty()) {
      throw new IllegalArgumentException("a schema needs a name and at least one location");
    }
    if (!historyTable.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException(
          "history table must be a lower-case SQL identifier: " + historyTable);
    }
  }
}
