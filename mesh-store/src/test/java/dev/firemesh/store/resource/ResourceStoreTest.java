package dev.firemesh.store.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firemesh.store.Database;
import dev.firemesh.store.resource.Change.Op;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceStoreTest {

  // Bytes a JSON re-encoding would change: key order, spacing, escapes, non-ASCII.
  private static final String ORDERS =
      "{\"spec\":{\"port\":8080},\"kind\":\"Service\",\"x\":\"é\\u2028\"}";
  private static final String ORDERS_V2 = "{\"spec\":{\"port\":9090}}";
  private static final String PAYMENTS = "{\"spec\":{\"port\":7070}}";
  private static final String ROUTE = "{\"route\":true}";

  @TempDir static Path dataDir;
  static Database database;
  ResourceStore store;

  @BeforeAll
  static void startServer() {
    database = Database.embedded(dataDir);
  }

  @AfterAll
  static void stopServer() {
    database.close();
  }

  @BeforeEach
  void emptyStore() throws SQLException {
    try (Connection c = database.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("truncate resources, resource_versions, revisions");
      s.execute("update resource_head set revision = 0");
    }
    store = new ResourceStore(database);
  }

  @Test
  void firstApplyIsRevisionOneAndBodiesComeBackByteForByte() {
    Revision r =
        store.apply(
            ChangeSet.builder()
                .put("Service", "orders", ORDERS)
                .put("Service", "payments", PAYMENTS)
                .build(),
            "alice",
            "initial services");

    assertThat(r.number()).isEqualTo(1);
    assertThat(r.unchanged()).isFalse();
    assertThat(r.actor()).isEqualTo("alice");
    assertThat(r.message()).isEqualTo("initial services");
    assertThat(r.createdAt()).isNotNull();
    assertThat(r.changes())
        .containsExactly(
            new Change("Service", "orders", Op.CREATED),
            new Change("Service", "payments", Op.CREATED));
    assertThat(store.head()).isEqualTo(1);
    assertThat(store.get("Service", "orders"))
        .contains(new StoredResource("Service", "orders", ORDERS, 1));
    assertThat(store.get("Service", "nope")).isEmpty();
  }

  @Test
  void updatesAndDeletesAreRecordedAsSuch() {
    store.apply(twoServices(), "alice", "create");

    Revision r =
        store.apply(
            ChangeSet.builder()
                .put("Service", "orders", ORDERS_V2)
                .delete("Service", "payments")
                .put("Route", "orders", ROUTE)
                .build(),
            "bob",
            "reshape");

    assertThat(r.number()).isEqualTo(2);
    assertThat(r.changes())
        .containsExactly(
            new Change("Service", "orders", Op.UPDATED),
            new Change("Service", "payments", Op.DELETED),
            new Change("Route", "orders", Op.CREATED));
    assertThat(store.current())
        .containsExactly(
            new StoredResource("Route", "orders", ROUTE, 2),
            new StoredResource("Service", "orders", ORDERS_V2, 2));
    assertThat(store.current("Service"))
        .containsExactly(new StoredResource("Service", "orders", ORDERS_V2, 2));
    assertThat(store.current("Nothing")).isEmpty();
  }

  @Test
  void unchangedPutsAreSkippedAndANoOpApplyCreatesNoRevision() {
    store.apply(twoServices(), "alice", "create");

    Revision partly =
        store.apply(
            ChangeSet.builder()
                .put("Service", "orders", ORDERS)
                .put("Service", "payments", ORDERS_V2)
                .build(),
            "alice",
            "one change");
    Revision none = store.apply(twoServicesAsNow(), "alice", "nothing new");
    Revision empty = store.apply(ChangeSet.builder().build(), "alice", "empty");

    assertThat(partly.changes()).containsExactly(new Change("Service", "payments", Op.UPDATED));
    assertThat(none.unchanged()).isTrue();
    assertThat(none.number()).isEqualTo(2);
    assertThat(none.changes()).isEmpty();
    assertThat(empty.unchanged()).isTrue();
    assertThat(store.head()).isEqualTo(2);
    assertThat(store.history(10)).extracting(Revision::number).containsExactly(2L, 1L);
  }

  @Test
  void deleteOfAnAbsentResourceIsRefusedAndNothingIsWritten() {
    assertThatThrownBy(
            () ->
                store.apply(ChangeSet.builder().delete("Service", "ghost").build(), "alice", "rm"))
        .isInstanceOfSatisfying(
            ResourceNotFoundException.class,
            e -> {
              assertThat(e.kind()).isEqualTo("Service");
              assertThat(e.name()).isEqualTo("ghost");
              assertThat(e).hasMessageContaining("Service/ghost");
            });
    assertThat(store.head()).isZero();
    assertThat(store.history(10)).isEmpty();
  }

  @Test
  void aBatchWithOneBadDeleteWritesNothing() {
    store.apply(twoServices(), "alice", "create");

    assertThatThrownBy(
            () ->
                store.apply(
                    ChangeSet.builder()
                        .put("Route", "orders", ROUTE)
                        .put("Service", "orders", ORDERS_V2)
                        .delete("Service", "payments")
                        .delete("Service", "ghost")
                        .build(),
                    "alice",
                    "bad batch"))
        .isInstanceOf(ResourceNotFoundException.class);

    assertThat(store.head()).isEqualTo(1);
    assertThat(store.current())
        .containsExactly(
            new StoredResource("Service", "orders", ORDERS, 1),
            new StoredResource("Service", "payments", PAYMENTS, 1));
    assertThat(store.revision(2)).isEmpty();
  }

  @Test
  void aChangeSetNamingAResourceTwiceIsRejected() {
    assertThatThrownBy(
            () -> ChangeSet.builder().put("Service", "a", "{}").delete("Service", "a").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Service/a");
  }

  @Test
  void atReturnsTheStateRightAfterEachRevision() {
    store.apply(twoServices(), "alice", "1");
    store.apply(ChangeSet.builder().put("Service", "orders", ORDERS_V2).build(), "alice", "2");
    store.apply(ChangeSet.builder().delete("Service", "payments").build(), "alice", "3");

    assertThat(store.at(1))
        .containsExactly(
            new StoredResource("Service", "orders", ORDERS, 1),
            new StoredResource("Service", "payments", PAYMENTS, 1));
    assertThat(store.at(2))
        .containsExactly(
            new StoredResource("Service", "orders", ORDERS_V2, 2),
            new StoredResource("Service", "payments", PAYMENTS, 1));
    assertThat(store.at(3)).containsExactly(new StoredResource("Service", "orders", ORDERS_V2, 2));
    assertThat(store.at(3)).isEqualTo(store.current());
    assertThatThrownBy(() -> store.at(4))
        .isInstanceOf(RevisionNotFoundException.class)
        .hasMessageContaining("1 to 3");
    assertThatThrownBy(() -> store.at(0)).isInstanceOf(RevisionNotFoundException.class);
  }

  @Test
  void historyIsNewestFirstWithEachRevisionsChanges() {
    store.apply(twoServices(), "alice", "create");
    store.apply(ChangeSet.builder().put("Service", "orders", ORDERS_V2).build(), "bob", "bump");
    store.apply(ChangeSet.builder().delete("Service", "payments").build(), "carol", "drop");

    List<Revision> history = store.history(2);

    assertThat(history).extracting(Revision::number).containsExactly(3L, 2L);
    assertThat(history).extracting(Revision::actor).containsExactly("carol", "bob");
    assertThat(history.get(0).changes())
        .containsExactly(new Change("Service", "payments", Op.DELETED));
    assertThat(store.revision(1).orElseThrow().changes())
        .containsExactly(
            new Change("Service", "orders", Op.CREATED),
            new Change("Service", "payments", Op.CREATED));
    assertThat(store.revision(1).orElseThrow().message()).isEqualTo("create");
    assertThat(store.revision(9)).isEmpty();
    assertThat(history.get(0).createdAt()).isAfterOrEqualTo(history.get(1).createdAt());
  }

  @Test
  void rollbackIsANewRevisionRestoringTheOldState() {
    store.apply(twoServices(), "alice", "1");
    store.apply(
        ChangeSet.builder()
            .put("Service", "orders", ORDERS_V2)
            .delete("Service", "payments")
            .build(),
        "alice",
        "2");
    store.apply(ChangeSet.builder().put("Route", "orders", ROUTE).build(), "alice", "3");

    Revision r = store.rollback(1, "ops");

    assertThat(r.number()).isEqualTo(4);
    assertThat(r.actor()).isEqualTo("ops");
    assertThat(r.message()).isEqualTo("rollback to 1");
    assertThat(r.changes())
        .containsExactly(
            new Change("Route", "orders", Op.DELETED),
            new Change("Service", "orders", Op.UPDATED),
            new Change("Service", "payments", Op.CREATED));
    assertThat(bodies(store.current())).isEqualTo(bodies(store.at(1)));
    assertThat(store.current()).allMatch(res -> res.revision() == 4);
    assertThat(store.at(3)).hasSize(2); // history itself is untouched
    assertThat(store.rollback(4, "ops").unchanged()).isTrue();
    assertThat(store.head()).isEqualTo(4);
  }

  @Test
  void rollbackToAnUnknownRevisionIsRefused() {
    store.apply(twoServices(), "alice", "1");

    assertThatThrownBy(() -> store.rollback(7, "ops"))
        .isInstanceOfSatisfying(
            RevisionNotFoundException.class, e -> assertThat(e.revision()).isEqualTo(7));
    assertThat(store.head()).isEqualTo(1);
  }

  @Test
  void concurrentAppliersOnTwoPoolsGetGapFreeOrderedRevisionsAndLoseNone() throws Exception {
    int threads = 6;
    int appliesEach = 20;
    try (Database second = Database.external(database.url());
        ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<ResourceStore> stores = List.of(store, new ResourceStore(second));
      List<Callable<List<Long>>> appliers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        ResourceStore mine = stores.get(t % 2);
        int thread = t;
        appliers.add(
            () -> {
              List<Long> numbers = new ArrayList<>();
              for (int i = 0; i < appliesEach; i++) {
                // Every thread also rewrites one shared resource: contention on the same rows.
                ChangeSet changes =
                    ChangeSet.builder()
                        .put("Service", "t" + thread + "-" + i, "{\"i\":" + i + "}")
                        .put("Config", "shared", "{\"by\":\"" + thread + "-" + i + "\"}")
                        .build();
                numbers.add(mine.apply(changes, "thread-" + thread, "load").number());
              }
              return numbers;
            });
      }
      List<Long> all = new ArrayList<>();
      for (Future<List<Long>> f : pool.invokeAll(appliers)) {
        List<Long> numbers = f.get();
        assertThat(numbers).isSorted(); // one thread's applies are ordered
        all.addAll(numbers);
      }
      Collections.sort(all);

      long total = (long) threads * appliesEach;
      assertThat(all).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
      assertThat(store.head()).isEqualTo(total);
      assertThat(store.current("Service")).hasSize((int) total);
      assertThat(store.history((int) total + 10)).hasSize((int) total);
      String lastShared = store.get("Config", "shared").orElseThrow().body();
      assertThat(store.at(total))
          .contains(new StoredResource("Config", "shared", lastShared, total));
    }
  }

  @Test
  void anApplyExpectingTheCurrentHeadCommits() {
    Revision first = store.apply(twoServices(), "alice", "create", 0);
    Revision second =
        store.apply(
            ChangeSet.builder().put("Service", "orders", ORDERS_V2).build(), "bob", "bump", 1);
    Revision none = store.apply(twoServicesAsNowAfterBump(), "bob", "nothing new", 2);

    assertThat(first.number()).isEqualTo(1);
    assertThat(second.number()).isEqualTo(2);
    assertThat(second.changes()).containsExactly(new Change("Service", "orders", Op.UPDATED));
    assertThat(none.unchanged()).isTrue();
    assertThat(store.head()).isEqualTo(2);
  }

  @Test
  void anApplyExpectingAStaleHeadIsRefusedAndWritesNothing() {
    long seen = store.head();
    store.apply(twoServices(), "alice", "someone else got there first");

    assertThatThrownBy(
            () ->
                store.apply(
                    ChangeSet.builder()
                        .put("Service", "orders", ORDERS_V2)
                        .put("Route", "orders", ROUTE)
                        .build(),
                    "bob",
                    "validated against revision 0",
                    seen))
        .isInstanceOfSatisfying(
            ConcurrentChangeException.class,
            e -> {
              assertThat(e.expectedHead()).isZero();
              assertThat(e.actualHead()).isEqualTo(1);
              assertThat(e)
                  .hasMessageContaining("expected the head revision to be 0 but it is 1")
                  .hasMessageContaining("nothing was applied");
            });
    // Even a change set that would change nothing is refused: the precondition comes first.
    assertThatThrownBy(() -> store.apply(ChangeSet.builder().build(), "bob", "noop", 5))
        .isInstanceOf(ConcurrentChangeException.class);

    assertThat(store.head()).isEqualTo(1);
    assertThat(store.current())
        .containsExactly(
            new StoredResource("Service", "orders", ORDERS, 1),
            new StoredResource("Service", "payments", PAYMENTS, 1));
    assertThatThrownBy(() -> store.apply(twoServices(), "bob", "bad", -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void twoPoolsApplyingOnTheSameExpectedHeadHaveExactlyOneWinner() throws Exception {
    int rounds = 10;
    try (Database second = Database.external(database.url());
        ExecutorService pool = Executors.newFixedThreadPool(2)) {
      List<ResourceStore> stores = List.of(store, new ResourceStore(second));
      for (int round = 0; round < rounds; round++) {
        long head = store.head();
        CyclicBarrier start = new CyclicBarrier(stores.size());
        List<Callable<Object>> racers = new ArrayList<>();
        for (int r = 0; r < stores.size(); r++) {
          ResourceStore mine = stores.get(r);
          String body = "{\"round\":" + round + ",\"by\":" + r + "}";
          racers.add(
              () -> {
                start.await(30, TimeUnit.SECONDS);
                try {
                  Revision won =
                      mine.apply(
                          ChangeSet.builder().put("Config", "shared", body).build(),
                          "replica-" + body,
                          "race",
                          head);
                  return won;
                } catch (ConcurrentChangeException lost) {
                  return lost;
                }
              });
        }
        List<Object> outcomes = new ArrayList<>();
        for (Future<Object> f : pool.invokeAll(racers)) {
          outcomes.add(f.get());
        }

        assertThat(outcomes)
            .as("round %d", round)
            .filteredOn(Revision.class::isInstance)
            .singleElement()
            .isInstanceOfSatisfying(
                Revision.class, won -> assertThat(won.number()).isEqualTo(head + 1));
        assertThat(outcomes)
            .filteredOn(ConcurrentChangeException.class::isInstance)
            .singleElement()
            .isInstanceOfSatisfying(
                ConcurrentChangeException.class,
                lost -> {
                  assertThat(lost.expectedHead()).isEqualTo(head);
                  assertThat(lost.actualHead()).isEqualTo(head + 1);
                });
        Revision winner =
            outcomes.stream()
                .filter(Revision.class::isInstance)
                .map(Revision.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(store.head()).isEqualTo(head + 1);
        assertThat(store.get("Config", "shared").orElseThrow().body())
            .as("the winner's body, not the loser's")
            .isEqualTo(winner.actor().substring("replica-".length()));
      }
      assertThat(store.history(rounds + 10)).hasSize(rounds);
    }
  }

  private static ChangeSet twoServicesAsNowAfterBump() {
    return ChangeSet.builder()
        .put("Service", "orders", ORDERS_V2)
        .put("Service", "payments", PAYMENTS)
        .build();
  }

  private static ChangeSet twoServices() {
    return ChangeSet.builder()
        .put("Service", "orders", ORDERS)
        .put("Service", "payments", PAYMENTS)
        .build();
  }

  private static ChangeSet twoServicesAsNow() {
    return ChangeSet.builder()
        .put("Service", "orders", ORDERS)
        .put("Service", "payments", ORDERS_V2)
        .build();
  }

  private static List<String> bodies(List<StoredResource> resources) {
    return resources.stream().map(r -> r.kind() + "/" + r.name() + "=" + r.body()).toList();
  }
}
