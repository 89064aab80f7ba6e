package dev.firemesh.store.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firemesh.store.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollups read back as written, land in daily partitions made ahead or on demand, and whole days go
 * once past the retention.
 */
class TelemetryRollupsTest {
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

  private static final double[] BOUNDS = {0.001, 0.01, 0.1, Double.POSITIVE_INFINITY};

  private static EdgeRollup row(Instant bucket, String replica, long requests, double p50) {
    return new EdgeRollup(
        bucket,
        replica,
        "orders",
        "risk",
        requests,
        requests / 10,
        BOUNDS,
        new long[] {requests / 2, requests, requests, requests},
        p50,
        Double.isNaN(p50) ? Double.NaN : p50 * 4);
  }

  @Test
  void rowsReadBackAsWrittenAndARewriteReplaces() {
    TelemetryRollups rollups = new TelemetryRollups(database, Duration.ofDays(14));
    Instant bucket = Instant.parse("2031-03-04T10:00:10Z");
    EdgeRollup a = row(bucket, "replica-a", 100, 0.9);
    EdgeRollup b = row(bucket, "replica-b", 40, 1.5);
    EdgeRollup quiet = row(bucket.plusSeconds(10), "replica-a", 0, Double.NaN);

    rollups.write(List.of(a, b, quiet));
    rollups.write(List.of(row(bucket, "replica-a", 120, 0.8)));

    assertThat(rollups.read(bucket, bucket.plusSeconds(20)))
        .containsExactly(row(bucket, "replica-a", 120, 0.8), b, quiet);
    assertThat(rollups.read(bucket, bucket.plusSeconds(10))).hasSize(2);
    EdgeRollup read = rollups.read(bucket.plusSeconds(10), bucket.plusSeconds(20)).getFirst();
    assertThat(read.p50Ms()).isNaN();
    assertThat(read.bucketBounds()[3]).isInfinite();
    // The day had no partition before: the write made it.
    assertThat(rollups.partitionDays()).contains(LocalDate.parse("2031-03-04"));
  }

  @Test
  void maintenanceMakesTheNextDaysAndDropsWholeDaysPastTheRetention() {
    TelemetryRollups rollups = new TelemetryRollups(database, Duration.ofDays(3));
    Instant now = Instant.parse("2030-06-10T12:00:00Z");
    rollups.write(List.of(row(Instant.parse("2030-06-06T23:59:50Z"), "r", 5, 1.0)));
    rollups.write(List.of(row(Instant.parse("2030-06-07T00:00:00Z"), "r", 6, 1.0)));

    TelemetryRollups.Maintenance first = rollups.maintain(now);
    TelemetryRollups.Maintenance again = rollups.maintain(now);

    assertThat(first.created())
        .containsExactly(
            "telemetry_edge_rollups_20300610",
            "telemetry_edge_rollups_20300611",
            "telemetry_edge_rollups_20300612");
    // 3 days before now is 2030-06-07T12:00: the 6th is wholly older, the 7th is not.
    assertThat(first.dropped()).containsExactly("telemetry_edge_rollups_20300606");
    assertThat(again.created()).isEmpty();
    assertThat(again.dropped()).isEmpty();
    assertThat(rollups.read(Instant.parse("2030-06-06T00:00:00Z"), now))
        .extracting(EdgeRollup::requests)
        .containsExactly(6L);
    // A write into a dropped day makes its partition again rather than failing.
    rollups.write(List.of(row(Instant.parse("2030-06-06T10:00:00Z"), "r", 7, 1.0)));
    assertThat(rollups.read(Instant.parse("2030-06-06T00:00:00Z"), now)).hasSize(2);
  }

  @Test
  void aRetentionShorterThanAPartitionIsRefused() {
    assertThatThrownBy(() -> new TelemetryRollups(database, Duration.ofHours(6)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1 day");
  }
}
