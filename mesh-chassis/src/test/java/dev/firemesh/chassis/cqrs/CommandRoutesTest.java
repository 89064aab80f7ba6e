package dev.firemesh.chassis.cqrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firemesh.chassis.client.MeshClient;
import dev.firemesh.chassis.cqrs.Accounts.AccountAggregate;
import dev.firemesh.chassis.cqrs.Accounts.AccountCommand;
import dev.firemesh.chassis.cqrs.Accounts.Deposit;
import dev.firemesh.chassis.cqrs.Accounts.Open;
import dev.firemesh.chassis.cqrs.Accounts.Withdraw;
import dev.firemesh.chassis.events.EventMetadata;
import dev.firemesh.chassis.events.EventStore;
import dev.firemesh.chassis.http.RoutesServer;
import dev.firemesh.chassis.store.ChassisStore;
import dev.firemesh.store.Database;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command route on a real socket: the sender's {@link Commands} against the owner's route. */
class CommandRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  private static Database database;
  private static EventStore store;
  private static AccountAggregate accounts;
  private static RoutesServer server;
  private static MeshClient client;
  private static Commands commands;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    database = ChassisStore.embedded(dataDir);
    store = EventStore.open(database, Accounts.EVENTS);
    accounts = new AccountAggregate();
    CommandProcessor processor =
        CommandProcessor.builder(store, Accounts.COMMANDS)
            .aggregate(accounts, AccountCommand.class)
            .build();
    server = RoutesServer.start(processor.routes());
    client = MeshClient.direct(Map.of("bank", server.uri()), Duration.ofSeconds(10));
    commands = new Commands(client, Accounts.COMMANDS);
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    http.close();
    client.close();
    server.close();
    store.close();
    database.close();
  }

  @BeforeEach
  void empty() {
    CommandProcessorTest.reset(database);
  }

  @Test
  void commandsSentOverTheMeshAreAnsweredWithTheirOutcomeAndARetryWithTheSame() {
    CommandOutcome opened = commands.send("bank", "account", "r1", new Open("alice"));
    CommandOutcome deposited =
        commands.send("bank", "account", "r1", "dep-r1", "chain-1", new Deposit(BigDecimal.TEN));
    CommandOutcome retried =
        commands.send("bank", "account", "r1", "dep-r1", "chain-1", new Deposit(BigDecimal.TEN));
    CommandOutcome rejected =
        commands.send("bank", "account", "r1", new Withdraw(new BigDecimal("50")));

    assertThat(opened).isInstanceOf(CommandOutcome.Accepted.class);
    assertThat(deposited).isInstanceOf(CommandOutcome.Accepted.class);
    assertThat(((CommandOutcome.Accepted) deposited).version()).isEqualTo(2);
    assertThat(retried).isEqualTo(deposited);
    assertThat(rejected)
        .isEqualTo(new CommandOutcome.Rejected("INSUFFICIENT_FUNDS", "balance 10 is below 50"));
    assertThat(store.readStream("account-r1", 1)).hasSize(2);
    EventMetadata metadata = store.readStream("account-r1", 2).getFirst().metadata();
    assertThat(metadata.commandId()).contains("dep-r1");
    assertThat(metadata.correlationId()).isEqualTo("chain-1");
  }

  @Test
  void theRouteRecordsTheCallerAndTraceAndAnswersTheWireForm() throws Exception {
    HttpResponse<String> answer =
        post(
            "/firemesh/commands/v1/account/r2",
            Map.of(
                "firemesh-command-id", "open-r2",
                "x-firemesh-caller", "spiffe://firemesh/ns/demo/sa/gateway",
                "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            "{\"type\":\"Open\",\"command\":{\"owner\":\"bob\"}}");

    assertThat(answer.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(answer.body());
    assertThat(body.path("outcome").asText()).isEqualTo("accepted");
    assertThat(body.path("stream").asText()).isEqualTo("account-r2");
    assertThat(body.path("version").asLong()).isEqualTo(1);
    assertThat(body.path("events")).hasSize(1);
    EventMetadata metadata = store.readStream("account-r2", 1).getFirst().metadata();
    assertThat(metadata.eventId().toString()).isEqualTo(body.path("events").get(0).asText());
    assertThat(metadata.actor()).isEqualTo("spiffe://firemesh/ns/demo/sa/gateway");
    assertThat(metadata.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(metadata.correlationId()).isEqualTo("open-r2");

    HttpResponse<String> rejected =
        post(
            "/firemesh/commands/v1/account/r2",
            Map.of("firemesh-command-id", "open-r2-again"),
            "{\"type\":\"Open\",\"command\":{\"owner\":\"bob\"}}");
    assertThat(rejected.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(rejected.body()))
        .isEqualTo(
            JSON.readTree(
                "{\"outcome\":\"rejected\",\"code\":\"ALREADY_OPENED\","
                    + "\"reason\":\"the account was opened before\"}"));
  }

  @Test
  void malformedOrUnknownCommandsAreRefusedWithAClearMessage() throws Exception {
    Map<String, String> id = Map.of("firemesh-command-id", "c-1");
    String path = "/firemesh/commands/v1/account/r3";

    assertRefused(
        post(path, Map.of(), "{\"type\":\"Open\",\"command\":{\"owner\":\"x\"}}"),
        400,
        "firemesh-command-id");
    assertRefused(post(path, id, "{\"type\":\"Open\",\"command\":"), 400, "the body is not JSON");
    assertRefused(post(path, id, "[]"), 400, "{\"type\": \"<name>\", \"command\": {...}}");
    assertRefused(post(path, id, "{\"type\":\"Open\"}"), 400, "with both fields");
    assertRefused(
        post(path, id, "{\"type\":\"Transfer\",\"command\":{}}"),
        400,
        "unknown command type 'Transfer'; known: [Close, Deposit, Open, Withdraw]");
    assertRefused(
        post(path, id, "{\"type\":\"Deposit\",\"command\":{\"amount\":\"lots\"}}"),
        400,
        "command Deposit is not valid");
    assertRefused(
        post(path, id, "{\"type\":\"Deposit\",\"command\":{\"amuont\":5}}"),
        400,
        "command Deposit is not valid");
    assertRefused(
        post("/firemesh/commands/v1/invoice/r3", id, "{\"type\":\"Open\",\"command\":{}}"),
        404,
        "no aggregate of category 'invoice' here; this service owns [account]");
    assertThat(store.readStream("account-r3", 1)).isEmpty();

    assertThatThrownBy(() -> commands.send("bank", "invoice", "r3", new Open("x")))
        .isInstanceOfSatisfying(
            CommandFailedException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.retryable()).isFalse();
              assertThat(e.service()).isEqualTo("bank");
            })
        .hasMessageContaining("no aggregate of category 'invoice'");
  }

  @Test
  void aStoreThatIsAwayIsA503TheSenderMayRetry(@TempDir Path otherDir) {
    Database away = ChassisStore.embedded(otherDir);
    EventStore awayStore = EventStore.open(away, Accounts.EVENTS);
    CommandProcessor processor =
        CommandProcessor.builder(awayStore, Accounts.COMMANDS)
            .aggregate(new AccountAggregate(), AccountCommand.class)
            .build();
    try (RoutesServer owner = RoutesServer.start(processor.routes());
        MeshClient toOwner =
            MeshClient.direct(Map.of("bank", owner.uri()), Duration.ofSeconds(10))) {
      awayStore.close();
      away.close();

      assertThatThrownBy(
              () ->
                  new Commands(toOwner, Accounts.COMMANDS)
                      .send("bank", "account", "r4", new Open("x")))
          .isInstanceOfSatisfying(
              CommandFailedException.class,
              e -> {
                assertThat(e.status()).isEqualTo(503);
                assertThat(e.retryable()).isTrue();
              })
          .hasMessageContaining("event store is unavailable");
    }
  }

  private static void assertRefused(HttpResponse<String> answer, int status, String message)
      throws Exception {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    assertThat(JSON.readTree(answer.body()).path("error").asText()).contains(message);
  }

  private static HttpResponse<String> post(String path, Map<String, String> headers, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.uri() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("content-type", "application/json");
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
