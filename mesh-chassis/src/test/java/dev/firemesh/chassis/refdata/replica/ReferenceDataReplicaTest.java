package dev.firemesh.chassis.refdata.replica;

import static dev.firemesh.chassis.refdata.TestSets.BOOKS;
import static dev.firemesh.chassis.refdata.TestSets.DESKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.firemesh.chassis.http.HttpRoutes;
import dev.firemesh.chassis.http.RoutesServer;
import dev.firemesh.chassis.refdata.ReferenceChange;
import dev.firemesh.chassis.refdata.ReferenceFeed;
import dev.firemesh.chassis.refdata.ReferenceUpdate;
import dev.firemesh.chassis.refdata.ReferenceView;
import dev.firemesh.chassis.refdata.TestSets.Book;
import dev.firemesh.chassis.refdata.TestSets.Desk;
import dev.firemesh.chassis.refdata.TestStore;
import dev.firemesh.chassis.refdata.owner.Command;
import dev.firemesh.chassis.refdata.owner.Edit;
import dev.firemesh.chassis.refdata.owner.ReferenceDataOwner;
import dev.firemesh.chassis.refdata.owner.Retention;
import dev.firemesh.chassis.store.ChassisStore;
import dev.firemesh.store.Database;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceDataReplicaTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir static Path dataDir;
  private static Database database;

  private ReferenceDataOwner owner;
  private RoutesServer server;
  private final List<ReferenceDataReplica> replicas = new ArrayList<>();

  @BeforeAll
  static void startDatabase() {
    database = ChassisStore.embedded(dataDir);
  }

  @AfterAll
  static void stopDatabase() {
    database.close();
  }

  @BeforeEach
  void startOwner() {
    TestStore.reset(database);
    owner = ReferenceDataOwner.builder(database).own(DESKS, BOOKS).build();
    server = RoutesServer.start(owner.routes());
  }

  @AfterEach
  void stopAll() {
    replicas.forEach(ReferenceDataReplica::close);
    server.close();
    owner.close();
  }

  @Test
  void loadsASnapshotThenFollowsEachVersionInOrderThroughTheSidecarsAddress() {
    owner.apply(
        Command.of(
            "seed",
            Edit.upsert(DESKS, new Desk("RATES", "EMEA")),
            Edit.upsert(DESKS, new Desk("FX", "APAC")),
            Edit.upsert(BOOKS, new Book("B1", "RATES", "GBP", 10))));
    // As through a sidecar: to its address, naming the owner's service.
    ReferenceDataReplica replica =
        follow(
            ReferenceDataReplica.builder(server.uri())
                .service("reference-data")
                .sets(DESKS, BOOKS));
    Queue<ReferenceUpdate> updates = new ConcurrentLinkedQueue<>();
    replica.onChange(updates::add);

    assertThat(replica.state()).isInstanceOf(ReplicaState.Live.class);
    assertThat(replica.version()).isEqualTo(1);
    assertThat(replica.view().of(DESKS).by("region", "APAC"))
        .containsExactly(new Desk("FX", "APAC"));

    owner.apply(Command.of("c2", Edit.upsert(BOOKS, new Book("B2", "FX", "GBP", 20))));
    owner.apply(Command.of("c3", Edit.delete(BOOKS, "B1"), Edit.delete(DESKS, "RATES")));
    owner.apply(Command.of("c4", Edit.upsert(BOOKS, new Book("B2", "FX", "JPY", 30))));
    await().atMost(PATIENCE).until(() -> replica.version() == 4);

    ReferenceView view = replica.view();
    assertThat(view.of(BOOKS).all()).containsExactly(new Book("B2", "FX", "JPY", 30));
    assertThat(view.of(BOOKS).by("currency", "GBP")).isEmpty();
    assertThat(view.of(BOOKS).by("desk", "FX")).containsExactly(new Book("B2", "FX", "JPY", 30));
    assertThat(view.of(DESKS).keys()).containsExactly("FX");
    assertThat(updates).extracting(ReferenceUpdate::version).containsExactly(2L, 3L, 4L);
    assertThat(updates).extracting(ReferenceUpdate::commandId).containsExactly("c2", "c3", "c4");
    assertThat(updates.stream().skip(1).findFirst().orElseThrow().changes())
        .containsExactly(
            new ReferenceChange.Deleted("books", "B1"),
            new ReferenceChange.Deleted("desks", "RATES"));
    assertThat(updates.peek().changes().getFirst().record(BOOKS))
        .contains(new Book("B2", "FX", "GBP", 20));
    assertThat(replica.changesApplied()).isEqualTo(4);
    assertThat(replica.lagMillis()).as("at the owner's head").isZero();
    assertThat(server.hosts()).isNotEmpty().containsOnly("reference-data");
  }

  @Test
  void replicasConvergeOnTheOwnersVersionAfterABurstAndSeeEachVersionOnce() throws Exception {
    int replicaCount = 4;
    List<Queue<Long>> seen = new ArrayList<>();
    for (int i = 0; i < replicaCount; i++) {
      Queue<Long> versions = new ConcurrentLinkedQueue<>();
      seen.add(versions);
      follow(ReferenceDataReplica.builder(server.uri()).sets(DESKS, BOOKS))
          .onChange(update -> versions.add(update.version()));
    }

    int writers = 4;
    int burst = 1000;
    List<Future<?>> done = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < writers; w++) {
        int writer = w;
        done.add(
            pool.submit(
                () -> {
                  for (int i = writer; i < burst; i += writers) {
                    owner.apply(
                        Command.of(
                            "burst-" + i,
                            i % 10 == 9
                                ? Edit.delete(BOOKS, "B" + (i - writers)) // its own earlier upsert
                                : Edit.upsert(BOOKS, new Book("B" + i, "D" + i % 7, "EUR", i))));
                  }
                  return null;
                }));
      }
    }
    for (Future<?> writer : done) {
      writer.get();
    }
    long head = owner.version();
    assertThat(head).isEqualTo(burst);
    await().atMost(PATIENCE).until(() -> replicas.stream().allMatch(r -> r.version() == head));

    List<Long> every = LongStream.rangeClosed(1, head).boxed().toList();
    for (int i = 0; i < replicaCount; i++) {
      ReferenceDataReplica replica = replicas.get(i);
      assertThat(replica.view().of(BOOKS).all()).isEqualTo(owner.view().of(BOOKS).all());
      assertThat(replica.view().of(BOOKS).by("desk", "D3"))
          .isEqualTo(owner.view().of(BOOKS).by("desk", "D3"));
      await()
          .atMost(PATIENCE)
          .until(() -> seen.get(replicas.indexOf(replica)).size() == every.size());
      assertThat(seen.get(i)).as("replica %d's listener", i).containsExactlyElementsOf(every);
      assertThat(replica.reloads()).isZero();
    }
  }

  @Test
  void keepsItsViewWhileTheOwnerIsDownAndCatchesUpWithoutAReloadWhenItRestarts() {
    owner.apply(Command.of("c1", Edit.upsert(DESKS, new Desk("RATES", "EMEA"))));
    ReferenceDataReplica replica =
        follow(ReferenceDataReplica.builder(server.uri()).sets(DESKS, BOOKS));
    Queue<Long> seen = new ConcurrentLinkedQueue<>();
    replica.onChange(update -> seen.add(update.version()));
    owner.apply(Command.of("c2", Edit.upsert(DESKS, new Desk("FX", "APAC"))));
    await().atMost(PATIENCE).until(() -> replica.version() == 2);

    int port = server.port();
    server.close();
    owner.close();
    await().atMost(PATIENCE).until(() -> replica.state() instanceof ReplicaState.Degraded);
    assertThat(replica.connected()).isFalse();
    assertThat(replica.view().of(DESKS).keys()).as("still serving").containsExactly("FX", "RATES");
    await().atMost(PATIENCE).until(() -> replica.lagMillis() > 0);

    // The owner restarts on the same store and address, with changes made meanwhile.
    owner = ReferenceDataOwner.builder(database).own(DESKS, BOOKS).build();
    owner.apply(Command.of("c3", Edit.delete(DESKS, "RATES")));
    owner.apply(Command.of("c4", Edit.upsert(BOOKS, new Book("B1", "FX", "USD", 5))));
    server = RoutesServer.start(owner.routes(), port);

    await().atMost(PATIENCE).until(() -> replica.version() == 4 && replica.connected());
    assertThat(replica.state()).isInstanceOf(ReplicaState.Live.class);
    assertThat(replica.reloads()).as("caught up from the log").isZero();
    assertThat(seen).containsExactly(2L, 3L, 4L);
    assertThat(replica.view().of(DESKS).keys()).containsExactly("FX");
    assertThat(replica.view().of(BOOKS).get("B1")).contains(new Book("B1", "FX", "USD", 5));
    assertThat(replica.lagMillis()).isZero();
  }

  @Test
  void aFeedThatHangsWithoutFailingCountsAsLostAndRecovers() {
    AtomicBoolean hang = new AtomicBoolean();
    HttpRoutes feed = owner.routes();
    HttpRoutes hanging =
        HttpRoutes.builder()
            .get(
                ReferenceFeed.CHANGES,
                request -> {
                  while (hang.get()) { // a network that drops packets: no answer, no reset
                    Thread.sleep(20);
                  }
                  return feed.match("GET", request.path())
                      .orElseThrow()
                      .route()
                      .handler()
                      .handle(request);
                })
            .build()
            .and(feed);
    server.close();
    server = RoutesServer.start(hanging);
    owner.apply(Command.of("c1", Edit.upsert(DESKS, new Desk("FX", "APAC"))));
    ReferenceDataReplica replica =
        follow(ReferenceDataReplica.builder(server.uri()).sets(DESKS, BOOKS));

    hang.set(true);
    await().atMost(PATIENCE).until(() -> replica.state() instanceof ReplicaState.Degraded);
    assertThat(((ReplicaState.Degraded) replica.state()).reason())
        .contains(server.uri().toString());
    await().atMost(PATIENCE).until(() -> replica.lagMillis() > 0);

    owner.apply(Command.of("c2", Edit.upsert(DESKS, new Desk("EQ", "AMER"))));
    hang.set(false);
    await().atMost(PATIENCE).until(() -> replica.version() == 2 && replica.connected());
    assertThat(replica.reloads()).isZero();
  }

  @Test
  void aReplicaBehindThePrunedLogReloadsASnapshotAndIsToldTheDifference() {
    owner.close();
    owner =
        ReferenceDataOwner.builder(database)
            .own(DESKS, BOOKS)
            .retention(new Retention(2, Duration.ofDays(1), Duration.ofHours(1)))
            .build();
    server.close();
    server = RoutesServer.start(owner.routes(), server.port());
    owner.apply(
        Command.of(
            "c1",
            Edit.upsert(DESKS, new Desk("RATES", "EMEA")),
            Edit.upsert(DESKS, new Desk("FX", "APAC"))));
    ReferenceDataReplica replica =
        follow(ReferenceDataReplica.builder(server.uri()).sets(DESKS, BOOKS));
    Queue<ReferenceUpdate> updates = new ConcurrentLinkedQueue<>();
    replica.onChange(updates::add);

    int port = server.port();
    server.close();
    owner.apply(Command.of("c2", Edit.delete(DESKS, "RATES")));
    for (int i = 3; i <= 6; i++) {
      owner.apply(Command.of("c" + i, Edit.upsert(BOOKS, new Book("B" + i, "FX", "CHF", i))));
    }
    assertThat(owner.prune()).isEqualTo(4);
    server = RoutesServer.start(owner.routes(), port);

    await().atMost(PATIENCE).until(() -> replica.version() == 6);
    assertThat(replica.reloads()).isEqualTo(1);
    assertThat(replica.view().of(DESKS).keys()).containsExactly("FX");
    assertThat(replica.view().of(BOOKS).all()).isEqualTo(owner.view().of(BOOKS).all());
    assertThat(updates).hasSize(1);
    ReferenceUpdate reload = updates.peek();
    assertThat(reload.reload()).isTrue();
    assertThat(reload.version()).isEqualTo(6);
    assertThat(reload.changes())
        .hasSize(5)
        .contains(new ReferenceChange.Deleted("desks", "RATES"))
        .filteredOn(change -> change instanceof ReferenceChange.Upserted)
        .extracting(ReferenceChange::key)
        .containsExactlyInAnyOrder("B3", "B4", "B5", "B6");
  }

  @Test
  void holdsOnlyTheSetsItAsksForAndFailsToStartOnWhatItCannotHave() throws Exception {
    owner.apply(
        Command.of(
            "c1",
            Edit.upsert(DESKS, new Desk("FX", "APAC")),
            Edit.upsert(BOOKS, new Book("B1", "FX", "USD", 5))));
    ReferenceDataReplica desksOnly = follow(ReferenceDataReplica.builder(server.uri()).sets(DESKS));
    assertThat(desksOnly.view().sets()).containsExactly(DESKS);
    assertThatThrownBy(() -> desksOnly.view().of(BOOKS))
        .isInstanceOf(IllegalArgumentException.class);

    ReferenceDataOwner desksOwner = ReferenceDataOwner.builder(database).own(DESKS).build();
    try (RoutesServer desksServer = RoutesServer.start(desksOwner.routes())) {
      assertThatThrownBy(
              () -> ReferenceDataReplica.builder(desksServer.uri()).sets(BOOKS).build().start())
          .isInstanceOf(ReferenceDataUnavailableException.class)
          .hasMessageContaining("owns [desks], not 'books'");
    } finally {
      desksOwner.close();
    }

    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    assertThatThrownBy(
            () ->
                ReferenceDataReplica.builder(URI.create("http://127.0.0.1:" + closedPort))
                    .sets(DESKS)
                    .build()
                    .start())
        .isInstanceOf(ReferenceDataUnavailableException.class)
        .hasMessageContaining("127.0.0.1:" + closedPort);
  }

  /** Starts a replica that polls and retries briskly. */
  private ReferenceDataReplica follow(ReferenceDataReplica.Builder builder) {
    ReferenceDataReplica replica =
        builder.pollWait(Duration.ofSeconds(1)).maxBackoff(Duration.ofMillis(200)).build().start();
    replicas.add(replica);
    return replica;
  }
}
