package dev.firemesh.chassis.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.firemesh.chassis.events.TestEvents.Deposited;
import dev.firemesh.chassis.events.TestEvents.Noted;
import dev.firemesh.chassis.events.TestEvents.Opened;
import dev.firemesh.chassis.store.ChassisStore;
import dev.firemesh.store.Database;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventStoreTest {
  @TempDir static Path dataDir;
  private static Database database;

  private EventStore store;

  @BeforeAll
  static void startDatabase() {
    database = ChassisStore.embedded(dataDir);
  }

  @AfterAll
  static void stopDatabase() {
    database.close();
  }

  @BeforeEach
  void openStore() {
    TestEvents.reset(database);
    store = EventStore.open(database, TestEvents.TYPES);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void appendedEventsReadBackWithTheirMetadataAndGetPositionsAfterCommit() {
    Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    NewEvent opened =
        NewEvent.of(new Opened("alice", Instant.parse("2026-11-27T10:15:30.123456Z")), "ops");
    NewEvent deposited =
        NewEvent.forCommand(
                new Deposited(new BigDecimal("10.50"), Optional.of("ref-1")),
                "cmd-1",
                "corr-1",
                "4bf92f3577b34da6a3ce929d0e0e4736",
                "spiffe://firemesh/ns/demo/sa/orders")
            .causedBy("evt-0", "corr-1");

    AppendResult result = store.append("account-7", 0, List.of(opened, deposited));

    assertThat(result)
        .isEqualTo(
            new AppendResult("account-7", 2, List.of(opened.eventId(), deposited.eventId())));
    List<RecordedEvent> stream = store.readStream("account-7", 1);
    assertThat(stream).extracting(RecordedEvent::streamVersion).containsExactly(1L, 2L);
    RecordedEvent second = stream.get(1);
    assertThat(second.category()).isEqualTo("account");
    assertThat(second.type()).isEqualTo("Deposited");
    assertThat(second.storedSchemaVersion()).isEqualTo(1);
    assertThat(second.payload(Deposited.class))
        .isEqualTo(new Deposited(new BigDecimal("10.50"), Optional.of("ref-1")));
    assertThat(stream.getFirst().payload(Opened.class).at())
        .isEqualTo(Instant.parse("2026-11-27T10:15:30.123456Z"));
    EventMetadata metadata = second.metadata();
    assertThat(metadata.eventId()).isEqualTo(deposited.eventId());
    assertThat(metadata.commandId()).contains("cmd-1");
    assertThat(metadata.causationId()).contains("evt-0");
    assertThat(metadata.correlationId()).isEqualTo("corr-1");
    assertThat(metadata.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(metadata.actor()).isEqualTo("spiffe://firemesh/ns/demo/sa/orders");
    assertThat(metadata.recordedAt()).isAfterOrEqualTo(before.minusSeconds(5));
    assertThat(stream.getFirst().metadata().commandId()).isEmpty();
    assertThat(stream.getFirst().metadata().correlationId()).isEqualTo(opened.eventId().toString());
    assertThatThrownBy(() -> second.payload(Opened.class))
        .isInstanceOf(ClassCastException.class)
        .hasMessageContaining("Deposited")
        .hasMessageContaining("Opened");

    assertThat(store.sequencer().sequenceNow()).isEqualTo(2);
    assertThat(store.head()).isEqualTo(2);
    assertThat(store.readAll(0, 10))
        .extracting(RecordedEvent::position, e -> e.metadata().eventId())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, opened.eventId()),
            org.assertj.core.groups.Tuple.tuple(2L, deposited.eventId()));
    assertThat(store.readAll(1, 10)).hasSize(1);
    assertThat(store.readStream("account-7", 2))
        .extracting(RecordedEvent::position)
        .containsExactly(2L);
  }

  @Test
  void theBackgroundSequencerNumbersAppendsWithoutBeingAsked() {
    store.append("account-1", 0, List.of(NewEvent.of(new Noted("a"), "ops")));
    store.append("account-2", 0, List.of(NewEvent.of(new Noted("b"), "ops")));

    await().atMost(Duration.ofSeconds(10)).until(() -> store.head() == 2);
    assertThat(store.readAll(0, 10))
        .extracting(RecordedEvent::streamId)
        .containsExactlyInAnyOrder("account-1", "account-2");
  }

  @Test
  void anAppendAtAStaleVersionIsRefusedAndWritesNothing() {
    store.append("account-3", 0, List.of(NewEvent.of(new Noted("a"), "ops")));
    NewEvent late = NewEvent.of(new Noted("late"), "ops");

    assertThatThrownBy(() -> store.append("account-3", 0, List.of(late)))
        .isInstanceOfSatisfying(
            WrongExpectedVersionException.class,
            e -> {
              assertThat(e.streamId()).isEqualTo("account-3");
              assertThat(e.expected()).isZero();
              assertThat(e.actual()).isEqualTo(1);
            })
        .hasMessageContaining("account-3");
    assertThatThrownBy(() -> store.append("account-3", 5, List.of(late)))
        .isInstanceOf(WrongExpectedVersionException.class);
    assertThat(store.readStream("account-3", 1)).hasSize(1);
    assertThat(store.streamVersion("account-3")).isEqualTo(1);
    assertThat(store.streamVersion("account-404")).isZero();
  }

  @Test
  void twoWritersRacingOnOneStreamEachRoundExactlyOneWinsAndTheLoserWritesNothing()
      throws Exception {
    int rounds = 150;
    CyclicBarrier start = new CyclicBarrier(2);
    try (ExecutorService writers = Executors.newFixedThreadPool(2)) {
      for (int round = 1; round <= rounds; round++) {
        long expected = 2L * (round - 1);
        List<NewEvent> attempts =
            List.of(
                NewEvent.of(new Noted("a" + round), "a"), NewEvent.of(new Noted("b" + round), "b"));
        List<Future<AppendResult>> results = new ArrayList<>();
        for (NewEvent attempt : attempts) {
          results.add(
              writers.submit(
                  () -> {
                    start.await(10, TimeUnit.SECONDS);
                    return store.append(
                        "race-1",
                        expected,
                        List.of(attempt, NewEvent.of(new Noted("second"), "x")));
                  }));
        }
        List<UUID> winners = new ArrayList<>();
        int losers = 0;
        for (Future<AppendResult> result : results) {
          try {
            winners.add(result.get(30, TimeUnit.SECONDS).eventIds().getFirst());
          } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause())
                .isInstanceOfSatisfying(
                    WrongExpectedVersionException.class,
                    wrong -> {
                      assertThat(wrong.expected()).isEqualTo(expected);
                      assertThat(wrong.actual()).isEqualTo(expected + 2);
                    });
            losers++;
          }
        }
        assertThat(winners).as("round %d", round).hasSize(1);
        assertThat(losers).isEqualTo(1);
        assertThat(store.streamVersion("race-1")).isEqualTo(2L * round);
        List<RecordedEvent> written = store.readStream("race-1", expected + 1);
        assertThat(written).hasSize(2);
        assertThat(written.getFirst().metadata().eventId()).isEqualTo(winners.getFirst());
      }
    }
    assertThat(countEvents()).isEqualTo(2L * rounds);
  }

  @Test
  void aConflictInTheCallersTransactionTakesBackOnlyTheAppend() {
    store.append("account-4", 0, List.of(NewEvent.of(new Noted("first"), "ops")));

    boolean refused =
        database.transaction(
            "append and note",
            c -> {
              boolean wrong = false;
              try {
                store.append(c, "account-4", 0, List.of(NewEvent.of(new Noted("x"), "ops")));
              } catch (WrongExpectedVersionException e) {
                wrong = true;
              }
              store.append(c, "account-5", 0, List.of(NewEvent.of(new Noted("other"), "ops")));
              return wrong;
            });

    assertThat(refused).isTrue();
    assertThat(store.readStream("account-4", 1)).hasSize(1);
    assertThat(store.readStream("account-5", 1)).hasSize(1);
  }

  @Test
  void aRolledBackAppendLeavesNoEventAndNoPosition() {
    assertThatThrownBy(
            () ->
                database.transaction(
                    "append then fail",
                    c -> {
                      store.append(
                          c, "account-6", 0, List.of(NewEvent.of(new Noted("gone"), "ops")));
                      throw new IllegalStateException("rolled back on purpose");
                    }))
        .hasMessageContaining("on purpose");
    store.append("account-8", 0, List.of(NewEvent.of(new Noted("kept"), "ops")));

    assertThat(store.sequencer().sequenceNow()).isEqualTo(1);
    assertThat(store.readAll(0, 10))
        .extracting(RecordedEvent::streamId)
        .containsExactly("account-8");
    assertThat(store.readStream("account-6", 1)).isEmpty();
  }

  @Test
  void streamIdsAndArgumentsAreChecked() {
    List<NewEvent> one = List.of(NewEvent.of(new Noted("a"), "ops"));
    assertThat(EventStore.categoryOf("order-42-b")).isEqualTo("order");
    assertThat(EventStore.categoryOf("ledger")).isEqualTo("ledger");
    assertThatThrownBy(() -> store.append(" ", 0, one)).hasMessageContaining("blank");
    assertThatThrownBy(() -> store.append("order 42", 0, one)).hasMessageContaining("whitespace");
    assertThatThrownBy(() -> store.append("-42", 0, one)).hasMessageContaining("category");
    assertThatThrownBy(() -> store.append("o-" + "x".repeat(199), 0, one))
        .hasMessageContaining("at most 200");
    assertThatThrownBy(() -> store.append("order-1", -1, one)).hasMessageContaining("negative");
    assertThatThrownBy(() -> store.append("order-1", 0, List.of()))
        .hasMessageContaining("needs an event");
    assertThatThrownBy(
            () -> store.append("order-1", 0, List.of(NewEvent.of("not registered", "ops"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.String is not a registered event type");
    assertThat(store.streamVersion("order-1")).isZero();
  }

  @Test
  void theLatestSnapshotIsKeptAndAnOlderOneDoesNotReplaceIt() {
    assertThat(store.latestSnapshot("account-9")).isEmpty();
    store.saveSnapshot(new Snapshot("account-9", 10, "Balance", 1, "{\"total\": 10}"));
    store.saveSnapshot(new Snapshot("account-9", 20, "Balance", 2, "{\"total\": 20}"));
    store.saveSnapshot(new Snapshot("account-9", 15, "Balance", 2, "{\"total\": 15}"));

    Snapshot latest = store.latestSnapshot("account-9").orElseThrow();
    assertThat(latest.streamVersion()).isEqualTo(20);
    assertThat(latest.schemaVersion()).isEqualTo(2);
    assertThat(latest.json()).isEqualTo("{\"total\": 20}");
  }

  @Test
  void eventsOfATypeTheReaderDoesNotKnowAreRefusedNamingIt() {
    store.append("account-10", 0, List.of(NewEvent.of(new Noted("a"), "ops")));
    try (EventStore narrow =
        EventStore.open(database, EventTypes.builder().type("Opened", Opened.class).build())) {
      assertThatThrownBy(() -> narrow.readStream("account-10", 1))
          .isInstanceOfSatisfying(
              UnreadableEventException.class, e -> assertThat(e.type()).isEqualTo("Noted"))
          .hasMessageContaining("unknown event type Noted")
          .hasMessageContaining("[Opened]");
    }
  }

  private static long countEvents() {
    return database.transaction(
        "count events",
        c -> {
          try (PreparedStatement s = c.prepareStatement("select count(*) from es_events");
              ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }
}
