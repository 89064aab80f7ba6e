package dev.firemesh.chassis.refdata.owner;

import static dev.firemesh.chassis.refdata.TestSets.BOOKS;
import static dev.firemesh.chassis.refdata.TestSets.DESKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firemesh.chassis.http.RoutesServer;
import dev.firemesh.chassis.refdata.ReferenceFeed;
import dev.firemesh.chassis.refdata.TestSets.Book;
import dev.firemesh.chassis.refdata.TestSets.Desk;
import dev.firemesh.chassis.refdata.TestStore;
import dev.firemesh.chassis.store.ChassisStore;
import dev.firemesh.store.Database;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

class ReferenceDataOwnerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  private static Database database;
  private static HttpClient http;

  private ReferenceDataOwner owner;

  @BeforeAll
  static void startDatabase() {
    database = ChassisStore.embedded(dataDir);
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stopDatabase() {
    http.close();
    database.close();
  }

  @BeforeEach
  void newOwner() {
    TestStore.reset(database);
    owner = ReferenceDataOwner.builder(database).own(DESKS, BOOKS).build();
  }

  @AfterEach
  void closeOwner() {
    owner.close();
  }

  @Test
  void aCommandIsOneVersionWrittenToTheLogAndTheCurrentState() throws Exception {
    Applied first =
        owner.apply(
            Command.of(
                "c1",
                Edit.upsert(DESKS, new Desk("RATES", "EMEA")),
                Edit.upsert(BOOKS, new Book("B1", "RATES", "GBP", 100))));
    Applied second = owner.apply(Command.of("c2", Edit.delete(BOOKS, "B1")));

    assertThat(first.version()).isEqualTo(1);
    assertThat(first.repeated()).isFalse();
    assertThat(second.version()).isEqualTo(2);
    assertThat(owner.view().version()).isEqualTo(2);
    assertThat(owner.view().of(DESKS).get("RATES")).contains(new Desk("RATES", "EMEA"));
    assertThat(owner.view().of(BOOKS).all()).isEmpty();
    assertThat(
            rows(
                "select version || ':' || seq || ':' || set_name || ':' || record_key || ':' || op"
                    + " from refdata_changes order by version, seq"))
        .containsExactly("1:0:desks:RATES:upsert", "1:1:books:B1:upsert", "2:0:books:B1:delete");
    assertThat(rows("select set_name || ':' || record_key || ':' || version from refdata_current"))
        .containsExactly("desks:RATES:1");

    owner.close();
    owner = ReferenceDataOwner.builder(database).own(DESKS, BOOKS).build();
    assertThat(owner.view().version()).as("a restarted owner loads the head").isEqualTo(2);
    assertThat(owner.view().of(DESKS).all()).containsExactly(new Desk("RATES", "EMEA"));
  }

  @Test
  void oneBadRecordRefusesTheWholeCommandAndWritesNothing() throws Exception {
    owner.apply(Command.of("seed", Edit.upsert(DESKS, new Desk("FX", "APAC"))));

    assertThatThrownBy(
            () ->
                owner.apply(
                    Command.of(
                        "bad",
                        Edit.upsert(DESKS, new Desk("RATES", "EMEA")),
                        Edit.delete(DESKS, "FX"),
                        new Edit.Upsert(
                            "books",
                            JSON.readTree(
                                "{\"id\":\"B1\",\"desk\":\"RATES\",\"currency\":\"gbp\",\"limit\":1}")))))
        .isInstanceOfSatisfying(
            RefusedCommandException.class,
            e -> {
              assertThat(e.edit()).isEqualTo(2);
              assertThat(e.field()).isEqualTo("currency");
            });
    assertThatThrownBy(() -> owner.apply(Command.of("gone", Edit.delete(DESKS, "NOPE"))))
        .isInstanceOfSatisfying(
            RefusedCommandException.class, e -> assertThat(e.getMessage()).contains("NOPE"));
    assertThatThrownBy(() -> owner.apply(Command.of("other", new Edit.Delete("venues", "XLON"))))
        .hasMessageContaining("unknown set 'venues'");

    assertThat(owner.view().version()).isEqualTo(1);
    assertThat(owner.view().of(DESKS).keys()).containsExactly("FX");
    assertThat(rows("select count(*) from refdata_changes")).containsExactly("1");
    assertThat(rows("select head from refdata_log")).containsExactly("1");
    assertThat(owner.commandsRefused()).isEqualTo(3);
    assertThat(owner.apply(Command.of("bad", Edit.delete(DESKS, "FX"))).version())
        .as("a refused command's id stays free")
        .isEqualTo(2);
  }

  @Test
  void aRepeatedCommandIdAnswersItsEarlierVersionAndWritesNothing() {
    Applied first = owner.apply(Command.of("once", Edit.upsert(DESKS, new Desk("FX", "APAC"))));
    owner.apply(Command.of("next", Edit.upsert(DESKS, new Desk("EQ", "AMER"))));

    Applied again = owner.apply(Command.of("once", Edit.upsert(DESKS, new Desk("FX", "EMEA"))));

    assertThat(again.repeated()).isTrue();
    assertThat(again.version()).isEqualTo(first.version());
    assertThat(again.committedAt()).isEqualTo(first.committedAt());
    assertThat(owner.view().version()).isEqualTo(2);
    assertThat(owner.view().of(DESKS).get("FX")).contains(new Desk("FX", "APAC"));
    assertThat(rows("select count(*) from refdata_changes")).containsExactly("2");
  }

  @Test
  void concurrentCommandsGetGapFreeVersionsInCommitOrder() throws Exception {
    int threads = 8;
    int each = 25;
    List<Future<Applied>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        for (int i = 0; i < each; i++) {
          int n = i;
          results.add(
              pool.submit(
                  () ->
                      owner.apply(
                          Command.of(
                              "t" + thread + "-" + n,
                              Edit.upsert(BOOKS, new Book("B" + thread, "D", "EUR", n)),
                              Edit.upsert(
                                  DESKS, new Desk("D" + "ABCDEFGH".charAt(thread), "EMEA"))))));
        }
      }
    }
    List<Long> versions = new ArrayList<>();
    for (Future<Applied> result : results) {
      versions.add(result.get().version());
    }
    assertThat(versions).containsExactlyInAnyOrderElementsOf(range(1, threads * each));
    assertThat(rows("select distinct version from refdata_changes order by version"))
        .containsExactlyElementsOf(range(1, threads * each).stream().map(String::valueOf).toList());
    assertThat(
            rows(
                "select bool_and(committed_at >= lag) from (select committed_at,"
                    + " lag(committed_at) over (order by version) from refdata_changes) t"))
        .as("commit times follow versions")
        .containsExactly("t");
    assertThat(owner.view().version()).isEqualTo(threads * each);
  }

  @Test
  void theEndpointsServeSnapshotsChangesAndCommands() throws Exception {
    try (RoutesServer server = RoutesServer.start(owner.routes())) {
      JsonNode refused =
          post(
              server,
              "{\"id\":\"x\",\"edits\":[{\"op\":\"upsert\",\"set\":\"desks\",\"record\":{\"id\":\"FX\",\"region\":\"MARS\"}}]}",
              422);
      assertThat(refused.path("edit").asInt()).isZero();
      assertThat(refused.path("field").asText()).isEqualTo("region");
      assertThat(refused.path("error").asText()).contains("MARS");

      JsonNode applied =
          post(
              server,
              "{\"id\":\"c1\",\"edits\":[{\"op\":\"upsert\",\"set\":\"desks\",\"record\":{\"id\":\"FX\",\"region\":\"APAC\"}}]}",
              200);
      assertThat(applied.path("version").asLong()).isEqualTo(1);
      assertThat(applied.path("repeated").asBoolean()).isFalse();
      assertThat(
              post(
                      server,
                      "{\"id\":\"c1\",\"edits\":[{\"op\":\"delete\",\"set\":\"desks\",\"key\":\"FX\"}]}",
                      200)
                  .path("repeated")
                  .asBoolean())
          .isTrue();

      JsonNode snapshot = get(server, ReferenceFeed.SNAPSHOT + "?sets=desks", 200);
      assertThat(snapshot.path("version").asLong()).isEqualTo(1);
      assertThat(snapshot.path("sets").path("desks").toString())
          .isEqualTo("[{\"id\":\"FX\",\"region\":\"APAC\"}]");
      assertThat(snapshot.path("sets").has("books")).isFalse();
      get(server, ReferenceFeed.SNAPSHOT + "?sets=venues", 404);

      JsonNode changes = get(server, ReferenceFeed.CHANGES + "?after=0", 200);
      assertThat(changes.path("head").asLong()).isEqualTo(1);
      assertThat(changes.path("through").asLong()).isEqualTo(1);
      JsonNode version = changes.path("versions").get(0);
      assertThat(version.path("version").asLong()).isEqualTo(1);
      assertThat(version.path("commandId").asText()).isEqualTo("c1");
      assertThat(version.path("actor").asText()).isEqualTo("risk");
      assertThat(version.path("changes").toString())
          .isEqualTo(
              "[{\"set\":\"desks\",\"key\":\"FX\",\"op\":\"upsert\",\"record\":{\"id\":\"FX\",\"region\":\"APAC\"}}]");

      // A long-poll at the head waits, and a commit wakes it.
      CompletableFuture<JsonNode> waiting =
          CompletableFuture.supplyAsync(
              () -> get(server, ReferenceFeed.CHANGES + "?after=1&waitMs=60000", 200));
      owner.apply(Command.of("c2", Edit.upsert(DESKS, new Desk("EQ", "AMER"))));
      JsonNode woken = waiting.get(20, TimeUnit.SECONDS);
      assertThat(woken.path("through").asLong()).isEqualTo(2);
      assertThat(woken.path("versions").get(0).path("changes").get(0).path("key").asText())
          .isEqualTo("EQ");

      assertThat(get(server, ReferenceFeed.CHANGES + "?after=2", 200).path("versions")).isEmpty();
      assertThat(get(server, ReferenceFeed.CHANGES + "?after=9", 410).path("head").asLong())
          .isEqualTo(2);
      get(server, ReferenceFeed.CHANGES + "?after=x", 400);
    }
  }

  @Test
  void pagesFromMemoryAndFromTheDatabaseAreTheSame() throws Exception {
    int[] bookCounts = {600, 300, 200, 0, ReferenceFeed.MAX_CHANGES + 5, 0};
    for (int v = 0; v < bookCounts.length; v++) {
      List<Edit> edits = new ArrayList<>();
      for (int i = 0; i < bookCounts[v]; i++) {
        edits.add(Edit.upsert(BOOKS, new Book("V" + v + "B" + i, "D", "USD", i)));
      }
      if (v % 2 == 1 || bookCounts[v] == 0) {
        edits.add(Edit.upsert(DESKS, new Desk("D" + "ABCDEF".charAt(v), "EMEA")));
      }
      owner.apply(new Command("v" + v, "self", "", edits));
    }
    List<String> queries =
        List.of(
            "after=0",
            "after=2",
            "after=4",
            "after=5",
            "after=6",
            "after=0&sets=desks",
            "after=0&sets=books",
            "after=3&sets=books,desks");
    List<JsonNode> fromMemory = new ArrayList<>();
    try (RoutesServer server = RoutesServer.start(owner.routes())) {
      for (String query : queries) {
        fromMemory.add(page(server, query));
      }
    }
    owner.close();
    owner = ReferenceDataOwner.builder(database).own(DESKS, BOOKS).build(); // holds none in memory
    List<JsonNode> fromDatabase = new ArrayList<>();
    try (RoutesServer server = RoutesServer.start(owner.routes())) {
      for (String query : queries) {
        fromDatabase.add(page(server, query));
      }
    }

    // Equal as JSON: jsonb keeps a record's fields in an order of its own.
    assertThat(fromDatabase).isEqualTo(fromMemory);
    assertThat(fromMemory.getFirst().toString())
        .as("whole commands up to 1,000 changes, then the next one's commit time")
        .contains("\"through\":2,")
        .contains("pendingSince");
    assertThat(fromMemory.get(2).toString())
        .as("one command larger than a page")
        .contains("\"through\":5,");
    assertThat(fromMemory.get(5).toString()).as("only desks").contains("\"through\":6,");
  }

  private static JsonNode page(RoutesServer server, String query) {
    JsonNode answer = get(server, ReferenceFeed.CHANGES + "?" + query, 200);
    ((com.fasterxml.jackson.databind.node.ObjectNode) answer).remove("now");
    return answer;
  }

  @Test
  void versionsPrunedFromTheLogAreGoneAndPagesNeverSplitACommand() throws Exception {
    owner.close();
    owner =
        ReferenceDataOwner.builder(database)
            .own(DESKS, BOOKS)
            .retention(new Retention(3, Duration.ofDays(1), Duration.ofHours(1)))
            .build();
    List<Edit> big = new ArrayList<>();
    for (int i = 0; i < ReferenceFeed.MAX_CHANGES + 5; i++) {
      big.add(Edit.upsert(BOOKS, new Book("B" + i, "D", "USD", i)));
    }
    owner.apply(new Command("big", "self", "", big));
    for (int i = 0; i < 5; i++) {
      owner.apply(Command.of("small" + i, Edit.upsert(DESKS, new Desk("FX", "APAC"))));
    }
    try (RoutesServer server = RoutesServer.start(owner.routes())) {
      JsonNode whole = get(server, ReferenceFeed.CHANGES + "?after=0", 200);
      assertThat(whole.path("through").asLong()).as("one command larger than a page").isEqualTo(1);
      assertThat(whole.path("versions").get(0).path("changes").size())
          .isEqualTo(ReferenceFeed.MAX_CHANGES + 5);
      assertThat(whole.has("pendingSince")).isTrue();

      assertThat(owner.prune()).isEqualTo(3);
      assertThat(get(server, ReferenceFeed.CHANGES + "?after=2", 410).path("error").asText())
          .contains("pruned through 3");
      JsonNode kept = get(server, ReferenceFeed.CHANGES + "?after=3", 200);
      assertThat(kept.path("versions")).hasSize(3);
      assertThat(rows("select min(version) from refdata_changes")).containsExactly("4");
      assertThat(owner.apply(Command.of("big", Edit.delete(DESKS, "FX"))).repeated())
          .as("a pruned command's id is forgotten with it")
          .isFalse();
    }
  }

  private static List<Long> range(long from, long to) {
    List<Long> all = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      all.add(i);
    }
    return all;
  }

  private static List<String> rows(String sql) {
    return database.transaction(
        "read",
        c -> {
          List<String> rows = new ArrayList<>();
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
              rows.add(rs.getString(1));
            }
          }
          return rows;
        });
  }

  private static JsonNode get(RoutesServer server, String path, int status) {
    return send(HttpRequest.newBuilder(server.uri().resolve(path)).GET().build(), status);
  }

  private static JsonNode post(RoutesServer server, String body, int status) {
    return send(
        HttpRequest.newBuilder(server.uri().resolve(ReferenceFeed.COMMANDS))
            .header("x-firemesh-caller", "risk")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        status);
  }

  private static JsonNode send(HttpRequest request, int status) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
      return JSON.readTree(response.body());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
