package dev.firemesh.chassis.store;

import dev.firemesh.store.Database;
import dev.firemesh.store.Schema;
import java.nio.file.Path;
import java.util.List;

/**
 * Opens a service's own PostgreSQL with the chassis's schema ({@code db/migration/chassis}), apart
 * from the control plane's: its own Flyway history table, so both may share one server.
 */
public final class ChassisStore {
  public static final Schema SCHEMA =
      new Schema(
          "FireMesh chassis", List.of("classpath:db/migration/chassis"), "chassis_schema_history");

  private ChassisStore() {}

  /** The embedded PostgreSQL under {@code dataDir}; see {@link Database#embedded(Path)}. */
  public static Database embedded(Path dataDir) {
    return Database.embedded(dataDir, SCHEMA);
  }

  /** An external PostgreSQL; see {@link Database#external(String)}. */
  public static Database external(String url) {
    return Database.external(url, SCHEMA);
  }
}
