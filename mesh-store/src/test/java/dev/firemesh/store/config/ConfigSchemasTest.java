package dev.firemesh.store.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.store.Database;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service's schema reads back as published, and the latest publication replaces the last. */
class ConfigSchemasTest {
  @TempDir static Path dataDir;
  static Database database;

  @BeforeAll
  static void startServer() {
    database = Database.embedded(dataDir);
  }

  @AfterAll
  static void stopServer() {
    database.close();
  }

  @Test
  void theLatestPublicationIsTheSchema() {
    ConfigSchemas schemas = new ConfigSchemas(database);
    schemas.publish("orders", "{\"service\":\"orders\",\"v\":1}", "d1", "workload:a");
    StoredSchema second =
        schemas.publish(
            "orders", "{\"service\":\"orders\",\"max\":5000000.00}", "d2", "operator:b");
    schemas.publish("risk", "{\"service\":\"risk\"}", "d3", "workload:c");

    StoredSchema read = schemas.find("orders").orElseThrow();
    assertThat(read).isEqualTo(second);
    assertThat(read.digest()).isEqualTo("d2");
    assertThat(read.publishedBy()).isEqualTo("operator:b");
    // jsonb keeps a decimal's scale, so the schema's bounds and defaults stay exact.
    assertThat(read.schema()).contains("5000000.00");
    assertThat(schemas.all()).extracting(StoredSchema::service).containsExactly("orders", "risk");
    assertThat(schemas.find("nobody")).isEmpty();
  }
}
