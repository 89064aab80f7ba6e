package dev.firemesh.store.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firemesh.store.ChangeFeed;
import dev.firemesh.store.Database;
import dev.firemesh.store.StoreEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryTest {

  private static final Duration LONG = Duration.ofMinutes(5);

  @TempDir static Path dataDir;
  static Database database;
  Registry registry;
  String service; // unique per test, so tests sharing the server do not see each other

  @BeforeAll
  static void startServer() {
    database = Database.embedded(dataDir);
  }

  @AfterAll
  static void stopServer() {
    database.close();
  }

  @BeforeEach
  void newRegistry() {
    registry = new Registry(database);
    service = "orders-" + UUID.randomUUID();
  }

  @Test
  void registeredInstancesAreListedWithTheirLabels() {
    Map<String, String> labels = Map.of("version", "v2", "region", "eu-west", "zone", "eu-west-1a");

    Instance a = registry.register(new Registration(service, "a", "10.0.0.1", 8080, labels), LONG);
    registry.register(new Registration(service, "b", "10.0.0.2", 8081, Map.of()), LONG);

    assertThat(a.service()).isEqualTo(service);
    assertThat(a.labels()).isEqualTo(labels);
    assertThat(a.expiresAt()).isAfter(a.registeredAt());
    assertThat(Duration.between(a.registeredAt(), a.expiresAt())).isEqualTo(LONG);
    List<Instance> listed = registry.instances(service);
    assertThat(listed).extracting(Instance::instanceId).containsExactly("a", "b");
    assertThat(listed.getFirst()).isEqualTo(a);
    assertThat(listed.get(1).labels()).isEmpty();
    assertThat(registry.instances()).containsAll(listed);
  }

  @Test
  void registeringAgainReplacesTheInstance() {
    registry.register(new Registration(service, "a", "10.0.0.1", 8080, Map.of("v", "1")), LONG);

    registry.register(new Registration(service, "a", "10.0.0.9", 9090, Map.of("v", "2")), LONG);

    assertThat(registry.instances(service))
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.address()).isEqualTo("10.0.0.9");
              assertThat(i.port()).isEqualTo(9090);
              assertThat(i.labels()).isEqualTo(Map.of("v", "2"));
            });
  }

  @Test
  void renewExtendsTheLeaseByItsTtl() {
    Instance before =
        registry.register(new Registration(service, "a", "h", 1, Map.of()), Duration.ofHours(1));

    assertThat(registry.renew(service, "a")).isTrue();

    Instance after = registry.instances(service).getFirst();
    assertThat(after.registeredAt()).isEqualTo(before.registeredAt());
    assertThat(after.expiresAt()).isAfter(before.expiresAt());
    assertThat(registry.renew(service, "unknown")).isFalse();
  }

  @Test
  void deregisterRemovesTheInstance() {
    registry.register(new Registration(service, "a", "h", 1, Map.of()), LONG);

    assertThat(registry.deregister(service, "a")).isTrue();
    assertThat(registry.deregister(service, "a")).isFalse();
    assertThat(registry.instances(service)).isEmpty();
  }

  @Test
  void aLapsedLeaseLeavesDiscoveryAndTheSweepRemovesItAndNotifies() {
    List<StoreEvent> events = new CopyOnWriteArrayList<>();
    try (ChangeFeed _ = ChangeFeed.start(database, events::add)) {
      registry.register(
          new Registration(service, "short", "h", 1, Map.of()), Duration.ofSeconds(1));
      registry.register(new Registration(service, "long", "h", 2, Map.of()), LONG);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> events.contains(new StoreEvent.InstancesChanged(service)));

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(registry.instances(service))
                      .extracting(Instance::instanceId)
                      .containsExactly("long"));
      assertThat(registry.renew(service, "short")).as("a lapsed lease cannot be renewed").isFalse();
      events.clear();

      assertThat(registry.sweepExpired()).isGreaterThanOrEqualTo(1);

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> events.contains(new StoreEvent.InstancesChanged(service)));
      assertThat(registry.deregister(service, "short")).as("swept").isFalse();
      assertThat(registry.instances(service))
          .extracting(Instance::instanceId)
          .containsExactly("long");
    }
  }

  @Test
  void leasesThatCouldNotBeRenewedWhileNoControlPlaneRanAreExtendedByThatTime() {
    registry.register(
        new Registration(service, "outlived-the-outage", "10.0.0.1", 8080, Map.of()), LONG);
    registry.register(new Registration(service, "lapsed-before", "10.0.0.2", 8080, Map.of()), LONG);
    // Nobody watched for the last 10 s; one lease lapsed 5 s ago (unwatched), one 20 s ago.
    sql("update lease_clock set watched_until = now() - interval '10 s'");
    sql(
        "update instances set expires_at = now() - interval '5 s' where instance_id ="
            + " 'outlived-the-outage'");
    sql(
        "update instances set expires_at = now() - interval '20 s' where instance_id = 'lapsed-before'");
    assertThat(registry.instances(service)).isEmpty();

    Duration unwatched = registry.resumeLeaseClock(Duration.ofSeconds(2)).orElseThrow();

    assertThat(unwatched).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(40));
    List<Instance> live = registry.instances(service);
    assertThat(live).extracting(Instance::instanceId).containsExactly("outlived-the-outage");
    // The lease keeps the time it had left when watching stopped (5 s), and at least a whole
    // TTL from now, so its instance's next renewal comes in time.
    assertThat(Duration.between(java.time.Instant.now(), live.getFirst().expiresAt()))
        .isBetween(LONG.minusSeconds(5), LONG.plusSeconds(1));
    assertThat(registry.renew(service, "outlived-the-outage")).isTrue();
    // The clock is watched again: a second start right after finds no gap.
    assertThat(registry.resumeLeaseClock(Duration.ofSeconds(2))).isEmpty();
  }

  @Test
  void liveLeasesAreGivenAWholeTtlOnceRenewalsAreTakenAgainAndLapsedOnesStayLapsed() {
    registry.register(new Registration(service, "nearly-spent", "10.0.0.1", 8080, Map.of()), LONG);
    registry.register(new Registration(service, "lapsed", "10.0.0.2", 8080, Map.of()), LONG);
    sql(
        "update instances set expires_at = now() + interval '1 s' where instance_id = 'nearly-spent'");
    sql("update instances set expires_at = now() - interval '1 s' where instance_id = 'lapsed'");

    registry.extendLiveLeases();

    List<Instance> live = registry.instances(service);
    assertThat(live).extracting(Instance::instanceId).containsExactly("nearly-spent");
    assertThat(Duration.between(java.time.Instant.now(), live.getFirst().expiresAt()))
        .isBetween(LONG.minusSeconds(5), LONG.plusSeconds(1));
  }

  @Test
  void everySweepMarksTheLeasesAsWatched() {
    sql("update lease_clock set watched_until = now() - interval '10 s'");

    registry.sweepExpired();

    assertThat(registry.resumeLeaseClock(Duration.ofSeconds(2))).isEmpty();
  }

  private static void sql(String statement) {
    database.transaction(
        statement,
        c -> {
          try (var s = c.createStatement()) {
            return s.executeUpdate(statement);
          }
        });
  }
}
