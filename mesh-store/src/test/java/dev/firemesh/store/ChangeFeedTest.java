package dev.firemesh.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firemesh.store.registry.Registration;
import dev.firemesh.store.registry.Registry;
import dev.firemesh.store.resource.ChangeSet;
import dev.firemesh.store.resource.ResourceStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeFeedTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path dataDir;
  static Database first;
  static Database second; // another replica: its own pool on the same server

  @BeforeAll
  static void startServer() {
    first = Database.embedded(dataDir);
    second = Database.external(first.url());
  }

  @AfterAll
  static void stopServer() {
    second.close();
    first.close();
  }

  @Test
  void changesCommittedThroughOnePoolReachAFeedOfAnother() {
    List<StoreEvent> events = new CopyOnWriteArrayList<>();
    try (ChangeFeed _ = ChangeFeed.start(second, events::add)) {
      long revision =
          new ResourceStore(first)
              .apply(ChangeSet.builder().put("Service", uniqueName(), "{}").build(), "t", "m")
              .number();
      String service = uniqueName();
      new Registry(first).register(new Registration(service, "i", "h", 1, Map.of()), WAIT);

      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(events)
                      .contains(
                          new StoreEvent.ResourcesChanged(revision),
                          new StoreEvent.InstancesChanged(service)));
    }
  }

  @Test
  void aChannelOfTheCallersOwnIsHeardWithItsPayloadAndOthersAreNot() throws SQLException {
    List<StoreEvent> events = new CopyOnWriteArrayList<>();
    try (ChangeFeed _ = ChangeFeed.on(second, java.util.Set.of("es_sequenced"), events::add)) {
      first.transaction(
          "notify",
          c -> {
            try (var s = c.createStatement()) {
              s.execute("select pg_notify('es_sequenced', '42'), pg_notify('elsewhere', 'x')");
            }
            return null;
          });
      String service = uniqueName();
      new Registry(first).register(new Registration(service, "i", "h", 1, Map.of()), WAIT);

      await()
          .atMost(WAIT)
          .until(() -> events.contains(new StoreEvent.Notified("es_sequenced", "42")));
      assertThat(events).containsExactly(new StoreEvent.Notified("es_sequenced", "42"));
    }
  }

  @Test
  void aChannelNameThatIsNotAnIdentifierIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ChangeFeed.on(second, java.util.Set.of("x; drop table y"), e -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a channel name");
  }

  @Test
  void aLostConnectionIsReestablishedAndReportedAsResync() throws SQLException {
    List<StoreEvent> events = new CopyOnWriteArrayList<>();
    try (ChangeFeed _ = ChangeFeed.start(second, events::add)) {
      assertThat(terminateFeedConnections()).isEqualTo(1);

      await().atMost(WAIT).until(() -> events.contains(new StoreEvent.Resync()));
      String service = uniqueName();
      new Registry(first).register(new Registration(service, "i", "h", 1, Map.of()), WAIT);
      await().atMost(WAIT).until(() -> events.contains(new StoreEvent.InstancesChanged(service)));
    }
  }

  @Test
  void aFailingConsumerDoesNotStopTheFeed() {
    List<StoreEvent> events = new CopyOnWriteArrayList<>();
    try (ChangeFeed _ =
        ChangeFeed.start(
            second,
            e -> {
              events.add(e);
              throw new IllegalStateException("consumer bug");
            })) {
      Registry registry = new Registry(first);
      String a = uniqueName();
      String b = uniqueName();
      registry.register(new Registration(a, "i", "h", 1, Map.of()), WAIT);
      registry.register(new Registration(b, "i", "h", 1, Map.of()), WAIT);

      await()
          .atMost(WAIT)
          .until(
              () ->
                  events.containsAll(
                      List.of(
                          new StoreEvent.InstancesChanged(a), new StoreEvent.InstancesChanged(b))));
    }
  }

  @Test
  void closeReleasesTheListeningConnection() {
    ChangeFeed feed = ChangeFeed.start(second, e -> {});
    await().atMost(WAIT).until(() -> feedConnections() == 1);

    feed.close();

    await().atMost(WAIT).until(() -> feedConnections() == 0);
  }

  private static int terminateFeedConnections() throws SQLException {
    return count(
        "select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity"
            + " where application_name = 'firemesh-change-feed'");
  }

  private static int feedConnections() throws SQLException {
    return count(
        "select count(*) from pg_stat_activity where application_name = 'firemesh-change-feed'");
  }

  private static int count(String sql) throws SQLException {
    try (Connection c = first.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static String uniqueName() {
    return "svc-" + UUID.randomUUID();
  }
}
