package dev.firemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firemesh.chassis.events.AppendResult;
import dev.firemesh.chassis.events.EventStore;
import dev.firemesh.chassis.events.EventTypes;
import dev.firemesh.chassis.events.NewEvent;
import dev.firemesh.chassis.events.RecordedEvent;
import dev.firemesh.chassis.events.StoredEvents;
import dev.firemesh.chassis.events.subscription.OperatorRequests;
import dev.firemesh.chassis.events.subscription.Projection;
import dev.firemesh.chassis.events.subscription.Subscription;
import dev.firemesh.chassis.events.subscription.SubscriptionStore;
import dev.firemesh.chassis.events.subscription.Subscriptions;
import dev.firemesh.chassis.schedule.Scheduler;
import dev.firemesh.chassis.schedule.Task;
import dev.firemesh.chassis.schedule.TaskStatus;
import dev.firemesh.chassis.store.ChassisStore;
import dev.firemesh.control.admin.AdminJson;
import dev.firemesh.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code firemesh events ...} and {@code firemesh tasks} as a user runs them, against a real
 * service store: an embedded PostgreSQL with a database for "orders" (reached with the URL naming
 * its password file, as the demo hands it out), events appended with the event store, a running
 * instance's subscriptions (with their operator requests) and scheduled tasks.
 */
class StoreCommandsTest {
  private static final ObjectMapper JSON = AdminJson.mapper();
  private static final String INSTANCE = "orders-test-1";
  private static final String MICROS = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z";

  record OrderPlaced(String orderId, int quantity, BigDecimal price, boolean poison) {}

  record OrderFilled(String orderId, int quantity) {}

  private static final EventTypes TYPES =
      EventTypes.builder()
          .type("OrderPlaced", OrderPlaced.class)
          .type("OrderFilled", OrderFilled.class)
          .build();

  @TempDir static Path serverDir;
  @TempDir static Path demoDir;
  static Database server;
  static Database orders;
  static String url;

  /** {@code firemesh ARGS} on the orders service's store. */
  private static Cli.Result onOrders(String... args) {
    List<String> line = new ArrayList<>(List.of(args));
    line.addAll(List.of("--service", "orders", "--store", url));
    return Cli.run(line.toArray(String[]::new));
  }

  static EventStore store;
  static Subscriptions subscriptions;
  static OperatorRequests requests;
  static Scheduler scheduler;
  static final AtomicBoolean poisonFails = new AtomicBoolean(true);
  static final AtomicInteger applications = new AtomicInteger();

  @BeforeAll
  static void start() throws IOException {
    server = ChassisStore.embedded(serverDir);
    url = server.ensureDatabase("orders");
    assertThat(url).contains("passwordFile=");
    orders = ChassisStore.external(url);
    Files.writeString(
        demoDir.resolve(DemoServiceStore.FILE),
        JSON.createObjectNode().put("orders", url).toPrettyString());
    store = EventStore.open(orders, TYPES);
    orders.transaction(
        "create the read model",
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute("create table exposure (event_id uuid primary key)");
          }
          return null;
        });
    // A subscription the store knows, which no running instance runs.
    Subscriptions.start(
            orders,
            TYPES,
            "gone-1",
            new SimpleMeterRegistry(),
            List.of(Subscription.projection("ghost", (tx, e) -> {}).partitions(1).build()))
        .close();
    subscriptions =
        Subscriptions.start(
            orders,
            TYPES,
            INSTANCE,
            new SimpleMeterRegistry(),
            List.of(
                Subscription.projection("exposure", new Exposure())
                    .eventTypes(OrderPlaced.class)
                    .partitions(2)
                    .maxAttempts(2)
                    .backoff(Duration.ofMillis(10), Duration.ofMillis(20))
                    .build(),
                Subscription.processManager(
                        "notifier",
                        e -> {
                          if (e.payload() instanceof OrderPlaced p && p.poison()) {
                            throw new IllegalStateException("cannot notify " + p.orderId());
                          }
                        })
                    .eventTypes(OrderPlaced.class)
                    .maxAttempts(2)
                    .backoff(Duration.ofMillis(10), Duration.ofMillis(20))
                    .build()));
    requests = OperatorRequests.start(orders, subscriptions, INSTANCE);
    scheduler =
        Scheduler.builder(orders, INSTANCE)
            .task(Task.fixedRate("reconcile", Duration.ofMillis(300)).run(context -> {}))
            .task(
                Task.once("flaky", Instant.now())
                    .run(
                        context -> {
                          throw new IllegalStateException("venue feed down");
                        }))
            .task(
                Task.cron("end-of-day", "0 17 * * *", ZoneId.of("Europe/London"))
                    .run(context -> {}))
            .build()
            .start();
    // The failed firing logs a warning: let it pass before the commands' stderr is captured.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                Scheduler.status(orders).stream()
                    .anyMatch(t -> t.task().equals("flaky") && t.runs() > 0));
  }

  @AfterAll
  static void stop() {
    scheduler.close();
    requests.close();
    subscriptions.close();
    store.close();
    orders.close();
    server.close();
  }

  /** Counts OrderPlaced events; fails on poisoned ones while {@link #poisonFails}. */
  private static final class Exposure implements Projection {
    @Override
    public void handle(Connection tx, RecordedEvent event) throws SQLException {
      if (event.payload(OrderPlaced.class).poison() && poisonFails.get()) {
        throw new SQLException("no limit for " + event.payload(OrderPlaced.class).orderId());
      }
      try (PreparedStatement s = tx.prepareStatement("insert into exposure values (?)")) {
        s.setObject(1, event.metadata().eventId());
        s.executeUpdate();
      }
      applications.incrementAndGet();
    }

    @Override
    public void reset(Connection tx) throws SQLException {
      try (Statement s = tx.createStatement()) {
        s.execute("truncate exposure");
      }
    }
  }

  @Test
  void streamShowsAnOrdersHistoryWithItsMetadataAndPayloadsAsStored() throws IOException {
    AppendResult placed =
        store.append(
            "order-1",
            0,
            List.of(
                NewEvent.forCommand(
                        new OrderPlaced("1", 10, new BigDecimal("101.250"), false),
                        "cmd-place-1",
                        "corr-1",
                        "4bf92f3577b34da6a3ce929d0e0e4736",
                        "spiffe://firemesh.local/env/dev/svc/gateway")
                    .causedBy("cmd-place-1", "corr-1")));
    store.append(
        "order-1",
        1,
        List.of(
            NewEvent.of(new OrderFilled("1", 4), "venue-sim").causedBy("evt-x", "corr-1"),
            NewEvent.of(new OrderFilled("1", 6), "venue-sim").causedBy("evt-y", "corr-1")));
    store.sequencer().sequenceNow();

    Cli.Result text = onOrders("events", "stream", "order-1");
    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.err()).isEmpty();
    assertThat(text.out())
        .startsWith("order-1: 3 events, version 3")
        .containsPattern("#1  " + MICROS + "  OrderPlaced \\(schema v1\\)  position \\d+")
        .contains(
            "    event        " + placed.eventIds().getFirst(),
            "    command      cmd-place-1",
            "    causation    cmd-place-1",
            "    correlation  corr-1",
            "    actor        spiffe://firemesh.local/env/dev/svc/gateway",
            "    trace        4bf92f3577b34da6a3ce929d0e0e4736",
            "\"price\": 101.250",
            "#3  ",
            "    causation    evt-y",
            "    command      -",
            "    trace        -");

    Cli.Result json = onOrders("events", "stream", "order-1", "-o", "json");
    assertThat(json.exitCode()).as(json.err()).isZero();
    JsonNode answer = JSON.readTree(json.out());
    assertThat(answer.path("stream").asText()).isEqualTo("order-1");
    assertThat(answer.path("version").asLong()).isEqualTo(3);
    JsonNode first = answer.path("events").get(0);
    assertThat(first.path("version").asLong()).isEqualTo(1);
    assertThat(first.path("position").asLong()).isPositive();
    assertThat(first.path("type").asText()).isEqualTo("OrderPlaced");
    assertThat(first.path("schemaVersion").asInt()).isEqualTo(1);
    assertThat(first.path("recordedAt").asText()).matches(MICROS);
    assertThat(first.path("eventId").asText()).isEqualTo(placed.eventIds().getFirst().toString());
    assertThat(first.path("commandId").asText()).isEqualTo("cmd-place-1");
    assertThat(first.path("correlationId").asText()).isEqualTo("corr-1");
    assertThat(first.path("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(first.path("payload").path("price").decimalValue())
        .isEqualTo(new BigDecimal("101.250"));
    assertThat(first.path("payload").path("quantity").asInt()).isEqualTo(10);
    JsonNode third = answer.path("events").get(2);
    assertThat(third.path("commandId").isNull()).isTrue();
    assertThat(third.path("traceId").isNull()).isTrue();
    assertThat(third.path("payload").path("quantity").asInt()).isEqualTo(6);

    Cli.Result none = onOrders("events", "stream", "order-nope");
    assertThat(none.exitCode()).isEqualTo(1);
    assertThat(none.err()).startsWith("error: no events in stream order-nope\n");
  }

  @Test
  void tailShowsTheGlobalOrder() throws IOException {
    for (int i = 1; i <= 3; i++) {
      store.append(
          "order-t" + i, 0, List.of(NewEvent.of(new OrderFilled("t" + i, i), "venue-sim")));
    }
    long head = store.sequencer().sequenceNow();

    Cli.Result last = onOrders("events", "tail", "--limit", "2");
    assertThat(last.exitCode()).as(last.err()).isZero();
    List<String> lines = last.out().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0))
        .startsWith("POSITION  RECORDED AT (UTC)")
        .contains("STREAM", "VERSION", "TYPE", "ACTOR", "PAYLOAD");
    assertThat(lines.get(1)).startsWith((head - 1) + " ").contains("order-t2", "OrderFilled");
    assertThat(lines.get(2)).startsWith(head + " ").contains("order-t3", "\"quantity\": 3");

    Cli.Result after =
        onOrders(
            "events", "tail", "--after", Long.toString(head - 2), "--limit", "1", "-o", "json");
    assertThat(after.exitCode()).as(after.err()).isZero();
    JsonNode answer = JSON.readTree(after.out());
    assertThat(answer.path("head").asLong()).isEqualTo(head);
    assertThat(answer.path("events")).hasSize(1);
    assertThat(answer.path("events").get(0).path("position").asLong()).isEqualTo(head - 1);
    assertThat(answer.path("events").get(0).path("streamId").asText()).isEqualTo("order-t2");

    Cli.Result beyond = onOrders("events", "tail", "--after", "999999");
    assertThat(beyond.exitCode()).isZero();
    assertThat(beyond.out()).startsWith("no events after position 999999; the last is ");

    Cli.Result badLimit = onOrders("events", "tail", "--limit", "0");
    assertThat(badLimit.exitCode()).isEqualTo(2);
    assertThat(badLimit.err()).contains("error: --limit: expected 1 to 1000, got 0");
  }

  @Test
  void theStoreIsFoundInTheDemosServiceStoresOrSaidHowToGiveIt() {
    Cli.Result found =
        Cli.run("events", "tail", "--service", "orders", "--data-dir", demoDir.toString());
    assertThat(found.exitCode()).as(found.err()).isZero();

    Cli.Result unknown = Cli.run("tasks", "--service", "pricing", "--data-dir", demoDir.toString());
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err())
        .startsWith("error: no store known for service pricing: pass --store URL, or --data-dir")
        .contains(demoDir.resolve("service-stores.json") + " does not name pricing");

    Cli.Result noDemo =
        Cli.run(
            "tasks", "--service", "risk", "--data-dir", serverDir.resolve("nowhere").toString());
    assertThat(noDemo.exitCode()).isEqualTo(2);
    assertThat(noDemo.err()).contains("service-stores.json does not exist");

    Cli.Result unreachable =
        Cli.run(
            "events",
            "tail",
            "--service",
            "orders",
            "--store",
            "postgresql://fm:s3cret@127.0.0.1:1/orders");
    assertThat(unreachable.exitCode()).isEqualTo(3);
    assertThat(unreachable.err())
        .startsWith("error: cannot connect to PostgreSQL at postgresql://fm:***@127.0.0.1:1/orders")
        .contains("(from --store)")
        .doesNotContain("s3cret");
  }

  @Test
  void deadLettersAreListedRetriedDroppedAndAProjectionRebuilt() throws IOException {
    AppendResult appended =
        store.append(
            "order-9",
            0,
            List.of(
                NewEvent.of(new OrderPlaced("9", 1, BigDecimal.ONE, false), "gateway"),
                NewEvent.of(new OrderPlaced("9", 2, BigDecimal.TEN, true), "gateway")));
    UUID poisoned = appended.eventIds().get(1);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                SubscriptionStore.deadLetters(orders, "exposure").size() == 1
                    && SubscriptionStore.deadLetters(orders, "notifier").size() == 1);

    Cli.Result status = onOrders("events", "subscriptions");
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out())
        .contains("SUBSCRIPTION  POSITION  LAG  DEAD LETTERS  PARTITIONS")
        .containsPattern("exposure +\\d+ +\\d+ +1 +2")
        .containsPattern("ghost +\\d+ +\\d+ +0 +1")
        .contains("PARTITION  OWNER", "LEASE UNTIL (UTC)")
        .containsPattern("exposure +0 +" + INSTANCE + " +\\d+ +\\d+ +\\d+ +" + MICROS)
        .containsPattern("ghost +0 +- +\\d+ +0 +\\d+ +-");
    JsonNode json =
        JSON.readTree(
            onOrders("events", "subscriptions", "--subscription", "exposure", "-o", "json").out());
    assertThat(json.path("subscriptions")).hasSize(1);
    assertThat(json.path("subscriptions").get(0).path("deadLetters").asLong()).isEqualTo(1);
    assertThat(json.path("subscriptions").get(0).path("partitions")).hasSize(2);

    Cli.Result letters = onOrders("events", "dead-letters");
    assertThat(letters.exitCode()).as(letters.err()).isZero();
    assertThat(letters.out())
        .contains("SUBSCRIPTION  EVENT", "ATTEMPTS", "LAST ERROR")
        .containsPattern(
            "exposure +"
                + poisoned
                + " +\\d+ +order-9 +OrderPlaced +2 +"
                + MICROS
                + " +.*no limit for 9")
        .containsPattern("notifier +" + poisoned + " .*cannot notify 9");
    Cli.Result unknown = onOrders("events", "dead-letters", "--subscription", "nope");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err())
        .startsWith(
            "error: the store of orders has no subscription nope; it has exposure, ghost,"
                + " notifier\n");

    // Retry: a malformed id, then failing again, then handled once the cause is gone.
    Cli.Result malformed = onOrders("events", "retry", "--subscription", "exposure", "not-a-uuid");
    assertThat(malformed.exitCode()).isEqualTo(2);
    assertThat(malformed.err()).startsWith("error: not an event id: 'not-a-uuid'");
    Cli.Result failing =
        onOrders("events", "retry", "--subscription", "exposure", poisoned.toString());
    assertThat(failing.exitCode()).isEqualTo(1);
    assertThat(failing.err())
        .startsWith("error: retry failed (instance " + INSTANCE + "): attempt 3 failed:")
        .contains("no limit for 9");
    poisonFails.set(false);
    Cli.Result retried =
        onOrders("events", "retry", "--subscription", "exposure", poisoned.toString());
    assertThat(retried.exitCode()).as(retried.err()).isZero();
    assertThat(retried.out())
        .isEqualTo(
            "dead letter " + poisoned + " of exposure handled by instance " + INSTANCE + "\n");
    assertThat(SubscriptionStore.deadLetters(orders, "exposure")).isEmpty();
    Cli.Result gone =
        onOrders("events", "retry", "--subscription", "exposure", poisoned.toString());
    assertThat(gone.exitCode()).isEqualTo(1);
    assertThat(gone.err()).contains("subscription exposure has no dead letter " + poisoned);

    // Drop, directly in the store.
    Cli.Result dropped =
        onOrders("events", "drop", "--subscription", "notifier", poisoned.toString());
    assertThat(dropped.exitCode()).as(dropped.err()).isZero();
    assertThat(dropped.out()).isEqualTo("dropped dead letter " + poisoned + " of notifier\n");
    assertThat(SubscriptionStore.deadLetters(orders, "notifier")).isEmpty();
    assertThat(
            onOrders("events", "drop", "--subscription", "notifier", poisoned.toString())
                .exitCode())
        .isEqualTo(1);

    // Rebuild: done by the running instance, which replays into the emptied read model.
    int before = exposureRows();
    assertThat(before).isPositive();
    int applied = applications.get();
    Cli.Result rebuilt = onOrders("events", "rebuild", "--subscription", "exposure", "-o", "json");
    assertThat(rebuilt.exitCode()).as(rebuilt.err()).isZero();
    JsonNode outcome = JSON.readTree(rebuilt.out());
    assertThat(outcome.path("outcome").asText()).isEqualTo("rebuilt");
    assertThat(outcome.path("instance").asText()).isEqualTo(INSTANCE);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> applications.get() == applied + before && exposureRows() == before);

    Cli.Result refused = onOrders("events", "rebuild", "--subscription", "notifier");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err())
        .startsWith(
            "error: rebuild refused (instance "
                + INSTANCE
                + "): subscription notifier is a process manager");

    Cli.Result nobody =
        onOrders("events", "rebuild", "--subscription", "ghost", "--wait", "1500ms");
    assertThat(nobody.exitCode()).isEqualTo(3);
    assertThat(nobody.err())
        .startsWith(
            "error: no running instance of orders runs subscription ghost: nobody took the"
                + " rebuild within ")
        .contains("withdrawn); start the service, or raise --wait");
    assertThat(lastRequestOutcome()).isEqualTo("withdrawn");

    Cli.Result notInStore = onOrders("events", "rebuild", "--subscription", "nope");
    assertThat(notInStore.exitCode()).isEqualTo(1);
    assertThat(notInStore.err()).contains("the store of orders has no subscription nope");
  }

  @Test
  void tasksListsOwnersLeasesFiringsAndOutcomes() throws IOException {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                Scheduler.status(orders).stream()
                    .filter(t -> !t.task().equals("flaky"))
                    .allMatch(
                        t ->
                            t.owner().isPresent()
                                && (t.task().equals("end-of-day") || t.runs() > 0)));
    Cli.Result table = onOrders("tasks");
    assertThat(table.exitCode()).as(table.err()).isZero();
    List<String> lines = table.out().lines().toList();
    assertThat(lines.getFirst())
        .startsWith("TASK")
        .contains(
            "KIND",
            "SCHEDULE",
            "OWNER",
            "TOKEN",
            "LEASE UNTIL (UTC)",
            "LAST FIRING (UTC)",
            "LAST OUTCOME",
            "NEXT FIRING (UTC)",
            "RUNS",
            "LAST ERROR");
    assertThat(table.out())
        .containsPattern(
            "end-of-day +cron +0 17 \\* \\* \\* Europe/London +"
                + INSTANCE
                + " +\\d+ +"
                + MICROS
                + " +- +- +"
                + MICROS
                + " +0")
        .containsPattern(
            "flaky +once +once at \\S+ +\\S+ +\\d+ +\\S+ +"
                + MICROS
                + " +failed +- +1 +java.lang.IllegalStateException: venue feed down")
        .containsPattern("reconcile +fixed-rate +every \\S+ +" + INSTANCE + " .* succeeded +");

    Cli.Result json = onOrders("tasks", "-o", "json");
    assertThat(json.exitCode()).as(json.err()).isZero();
    JsonNode tasks = JSON.readTree(json.out()).path("tasks");
    List<String> names = Scheduler.status(orders).stream().map(TaskStatus::task).toList();
    assertThat(tasks).hasSize(names.size());
    JsonNode eod =
        StreamSupport.stream(tasks.spliterator(), false)
            .filter(t -> t.path("task").asText().equals("end-of-day"))
            .findFirst()
            .orElseThrow();
    assertThat(eod.path("kind").asText()).isEqualTo("cron");
    assertThat(eod.path("owner").asText()).isEqualTo(INSTANCE);
    assertThat(eod.path("nextFiring").asText()).matches(MICROS);
    assertThat(eod.path("lastFiring").isNull()).isTrue();
    assertThat(eod.path("runs").asLong()).isZero();
  }

  @Test
  void pgPasswordIsThePasswordOfAUrlThatGivesNone() throws IOException {
    String password = Files.readString(serverDir.resolve("pg-password")).strip();
    String bare = url.substring(0, url.indexOf('?'));
    String withEnvironment = StoreCommand.withPassword(bare, Optional.of(password));
    assertThat(withEnvironment).startsWith(bare + "?password=");
    try (Database opened = Database.inspect(withEnvironment)) {
      assertThat(StoredEvents.head(opened)).isNotNegative();
      assertThat(opened.describe()).doesNotContain(password);
    }
    assertThat(StoreCommand.withPassword(url, Optional.of("other"))).isEqualTo(url);
    assertThat(StoreCommand.withPassword("postgresql://u:pw@h/db", Optional.of("other")))
        .isEqualTo("postgresql://u:pw@h/db");
    assertThat(StoreCommand.withPassword("jdbc:postgresql://h/db?password=pw", Optional.of("x")))
        .isEqualTo("jdbc:postgresql://h/db?password=pw");
    assertThat(StoreCommand.withPassword("postgresql://u@h/db", Optional.of("a b+c&d")))
        .isEqualTo("postgresql://u@h/db?password=a%20b%2Bc%26d");
    assertThat(StoreCommand.withPassword("postgresql://u@h/db", Optional.empty()))
        .isEqualTo("postgresql://u@h/db");
  }

  private static int exposureRows() {
    return orders.transaction(
        "count the read model",
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("select count(*) from exposure")) {
            rs.next();
            return rs.getInt(1);
          }
        });
  }

  private static String lastRequestOutcome() {
    return orders.transaction(
        "read the last request",
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs =
                  s.executeQuery("select outcome from chassis_requests order by id desc limit 1")) {
            rs.next();
            return rs.getString(1);
          }
        });
  }
}
