package dev.firemesh.chassis.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firemesh.chassis.events.TestEvents.Noted;
import dev.firemesh.chassis.store.ChassisStore;
import dev.firemesh.store.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's promise to readers under load: appenders on many streams commit after random delays
 * or roll back, while a reader tails the global order; it must see every committed event exactly
 * once, at positions 1, 2, 3... without a hole, each stream in version order, and nothing rolled
 * back.
 */
class EventStoreStressTest {
  private static final int APPENDERS = 8;
  private static final int ATTEMPTS_PER_APPENDER = 250;
  private static final int STREAMS = 40;

  @TempDir static Path dataDir;
  private static Database database;

  @BeforeAll
  static void startDatabase() {
    database = ChassisStore.embedded(dataDir);
  }

  @AfterAll
  static void stopDatabase() {
    database.close();
  }

  /** A deliberate rollback. */
  private static final class RolledBack extends RuntimeException {
    RolledBack() {
      super("rolled back on purpose", null, false, false);
    }
  }

  @Test
  void aTailingReaderSeesEveryCommittedEventOnceInAGapFreeOrderAndNoRolledBackOne()
      throws Exception {
    TestEvents.reset(database);
    Map<UUID, String> committed = new ConcurrentHashMap<>();
    Set<UUID> rolledBack = ConcurrentHashMap.newKeySet();
    List<String> violations = new CopyOnWriteArrayList<>();
    List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
    AtomicLong readerAt = new AtomicLong();

    try (EventStore store = EventStore.open(database, TestEvents.TYPES);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      CountDownLatch appendersDone = new CountDownLatch(APPENDERS);
      Future<?> reader =
          threads.submit(() -> tail(store, appendersDone, committed, seen, readerAt, violations));
      List<Future<?>> appenders = new ArrayList<>();
      for (int a = 0; a < APPENDERS; a++) {
        appenders.add(
            threads.submit(
                () -> {
                  try {
                    for (int i = 0; i < ATTEMPTS_PER_APPENDER; i++) {
                      appendOnce(store, committed, rolledBack);
                    }
                  } finally {
                    appendersDone.countDown();
                  }
                  return null;
                }));
      }
      for (Future<?> appender : appenders) {
        appender.get(60, TimeUnit.SECONDS);
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> seen.size() >= committed.size() || !violations.isEmpty());
      reader.get(30, TimeUnit.SECONDS);
    }

    assertThat(violations).isEmpty();
    assertThat(committed).hasSizeGreaterThan(1000);
    assertThat(rolledBack).hasSizeGreaterThan(100);
    List<UUID> seenIds = seen.stream().map(e -> e.metadata().eventId()).toList();
    assertThat(seenIds).doesNotHaveDuplicates().hasSameSizeAs(committed.keySet());
    assertThat(new HashSet<>(seenIds)).isEqualTo(committed.keySet());
    assertThat(seenIds).doesNotContainAnyElementsOf(rolledBack);
    for (int i = 0; i < seen.size(); i++) {
      assertThat(seen.get(i).position()).isEqualTo(i + 1L);
    }
    Map<String, Long> versions = new HashMap<>();
    for (RecordedEvent event : seen) {
      long previous = versions.getOrDefault(event.streamId(), 0L);
      assertThat(event.streamVersion()).as("%s", event.streamId()).isEqualTo(previous + 1);
      versions.put(event.streamId(), event.streamVersion());
      assertThat(committed.get(event.metadata().eventId())).isEqualTo(event.streamId());
    }
  }

  /**
   * One append in a transaction that sleeps before committing, and one time in five rolls back;
   * conflicting appends to the same stream are expected and write nothing.
   */
  private static void appendOnce(
      EventStore store, Map<UUID, String> committed, Set<UUID> rolledBack)
      throws InterruptedException {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String stream = "acct-" + random.nextInt(STREAMS);
    List<NewEvent> events = new ArrayList<>();
    for (int e = random.nextInt(1, 4); e > 0; e--) {
      events.add(NewEvent.of(new Noted(stream), "stress"));
    }
    boolean rollBack = random.nextInt(5) == 0;
    long delayMicros = random.nextLong(0, 4000);
    try {
      database.transaction(
          "stress append",
          c -> {
            store.append(c, stream, store.streamVersion(c, stream), events);
            try {
              TimeUnit.MICROSECONDS.sleep(delayMicros);
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
            if (rollBack) {
              throw new RolledBack();
            }
            return null;
          });
      events.forEach(e -> committed.put(e.eventId(), stream));
    } catch (RolledBack e) {
      events.forEach(event -> rolledBack.add(event.eventId()));
    } catch (WrongExpectedVersionException e) {
      // another appender got to the stream first; nothing of this one was written
    }
  }

  /**
   * Follows {@code readAll} from position 0 until the appenders are done and it has seen every
   * committed event, noting anything out of order.
   */
  private static Void tail(
      EventStore store,
      CountDownLatch appendersDone,
      Map<UUID, String> committed,
      List<RecordedEvent> seen,
      AtomicLong at,
      List<String> violations)
      throws InterruptedException {
    while (violations.isEmpty()
        && (appendersDone.getCount() > 0 || seen.size() < committed.size())) {
      List<RecordedEvent> page = store.readAll(at.get(), 200);
      for (RecordedEvent event : page) {
        if (event.position() != at.get() + 1) {
          violations.add("after position " + at.get() + " the reader got " + event.position());
        }
        at.set(event.position());
        seen.add(event);
      }
      if (page.isEmpty()) {
        Thread.sleep(5);
      }
    }
    return null;
  }
}
