package dev.firemesh.chassis.cqrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firemesh.chassis.cqrs.Accounts.Account;
import dev.firemesh.chassis.cqrs.Accounts.AccountAggregate;
import dev.firemesh.chassis.cqrs.Accounts.AccountCommand;
import dev.firemesh.chassis.cqrs.Accounts.Close;
import dev.firemesh.chassis.cqrs.Accounts.Deposit;
import dev.firemesh.chassis.cqrs.Accounts.Deposited;
import dev.firemesh.chassis.cqrs.Accounts.Open;
import dev.firemesh.chassis.cqrs.Accounts.Withdraw;
import dev.firemesh.chassis.events.EventStore;
import dev.firemesh.chassis.events.NewEvent;
import dev.firemesh.chassis.events.RecordedEvent;
import dev.firemesh.chassis.events.WrongExpectedVersionException;
import dev.firemesh.chassis.store.ChassisStore;
import dev.firemesh.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandProcessorTest {
  private static final CommandMetadata ALICE =
      new CommandMetadata("spiffe://firemesh/sa/alice", "", "0af7651916cd43dd8448eb211c80319c");

  @TempDir static Path dataDir;
  private static Database database;

  private EventStore store;
  private AccountAggregate accounts;
  private CommandProcessor processor;
  private SimpleMeterRegistry meters;

  @BeforeAll
  static void startDatabase() {
    database = ChassisStore.embedded(dataDir);
  }

  @AfterAll
  static void stopDatabase() {
    database.close();
  }

  @BeforeEach
  void newProcessor() {
    reset(database);
    store = EventStore.open(database, Accounts.EVENTS);
    accounts = new AccountAggregate();
    meters = new SimpleMeterRegistry();
    processor =
        CommandProcessor.builder(store, Accounts.COMMANDS)
            .aggregate(accounts, AccountCommand.class)
            .meterRegistry(meters)
            .build();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void commandsAreCountedByOutcomeARepeatAsRepeated() {
    processor.handle(accounts, "m1", "cmd-m-open", new Open("alice"), ALICE);
    processor.handle(accounts, "m1", "cmd-m-open", new Open("alice"), ALICE);
    processor.handle(accounts, "m1", "cmd-m-open-again", new Open("alice"), ALICE);

    String category = accounts.category();
    assertThat(count(category, "accepted")).isEqualTo(1);
    assertThat(count(category, "repeated")).isEqualTo(1);
    assertThat(count(category, "rejected")).isEqualTo(1);
  }

  private double count(String category, String outcome) {
    var counter =
        meters.find("firemesh_chassis_commands").tags("category", category, "outcome", outcome);
    return counter.counter() == null ? 0 : counter.counter().count();
  }

  @Test
  void anAcceptedCommandAppendsItsEventsWithTheCommandsMetadata() {
    CommandOutcome opened = processor.handle(accounts, "a1", "cmd-open", new Open("alice"), ALICE);
    CommandOutcome deposited =
        processor.handle(
            accounts,
            "a1",
            "cmd-dep",
            new Deposit(new BigDecimal("25.00")),
            new CommandMetadata("spiffe://firemesh/sa/bob", "chain-7", ""));

    assertThat(opened).isInstanceOf(CommandOutcome.Accepted.class);
    CommandOutcome.Accepted accepted = (CommandOutcome.Accepted) deposited;
    assertThat(accepted.streamId()).isEqualTo("account-a1");
    assertThat(accepted.version()).isEqualTo(2);
    List<RecordedEvent> stream = store.readStream("account-a1", 1);
    assertThat(stream).hasSize(2);
    RecordedEvent first = stream.getFirst();
    assertThat(first.metadata().commandId()).contains("cmd-open");
    assertThat(first.metadata().causationId()).contains("cmd-open");
    assertThat(first.metadata().correlationId()).isEqualTo("cmd-open");
    assertThat(first.metadata().actor()).isEqualTo("spiffe://firemesh/sa/alice");
    assertThat(first.metadata().traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    RecordedEvent second = stream.get(1);
    assertThat(second.metadata().eventId()).isEqualTo(accepted.eventIds().getFirst());
    assertThat(second.metadata().correlationId()).isEqualTo("chain-7");
    assertThat(second.payload(Deposited.class).amount()).isEqualByComparingTo("25");
    assertThat(processor.load(accounts, "a1").state().balance()).isEqualByComparingTo("25");
    assertThat(processor.outcome("cmd-dep")).contains(deposited);
  }

  @Test
  void aCommandDeliveredTwiceIsAppliedOnceAndAnswersTheSameOutcome() {
    processor.handle(accounts, "a2", "open-a2", new Open("alice"), ALICE);
    CommandOutcome first =
        processor.handle(accounts, "a2", "dep-1", new Deposit(BigDecimal.TEN), ALICE);
    int decisions = accounts.decisions.get();

    CommandOutcome again =
        processor.handle(accounts, "a2", "dep-1", new Deposit(BigDecimal.TEN), ALICE);

    assertThat(again).isEqualTo(first);
    assertThat(accounts.decisions.get()).as("decided nothing again").isEqualTo(decisions);
    assertThat(store.readStream("account-a2", 1)).hasSize(2);
    assertThat(processor.load(accounts, "a2").state().balance()).isEqualByComparingTo("10");
  }

  @Test
  void aCommandDeliveredConcurrentlyIsAppliedOnceAndEveryDeliveryAnswersTheSame() throws Exception {
    processor.handle(accounts, "a3", "open-a3", new Open("alice"), ALICE);
    int rounds = 20;
    int deliveries = 6;
    try (ExecutorService threads = Executors.newFixedThreadPool(deliveries)) {
      for (int round = 0; round < rounds; round++) {
        String commandId = "dep-" + round;
        CyclicBarrier together = new CyclicBarrier(deliveries);
        List<Future<CommandOutcome>> answers = new ArrayList<>();
        for (int d = 0; d < deliveries; d++) {
          answers.add(
              threads.submit(
                  () -> {
                    together.await(10, TimeUnit.SECONDS);
                    return processor.handle(
                        accounts, "a3", commandId, new Deposit(BigDecimal.ONE), ALICE);
                  }));
        }
        Set<CommandOutcome> outcomes = new java.util.HashSet<>();
        for (Future<CommandOutcome> answer : answers) {
          outcomes.add(answer.get(30, TimeUnit.SECONDS));
        }
        assertThat(outcomes).as("round %d", round).hasSize(1);
        assertThat(outcomes.iterator().next()).isInstanceOf(CommandOutcome.Accepted.class);
      }
    }
    Account account = processor.load(accounts, "a3").state();
    assertThat(account.balance()).isEqualByComparingTo(Integer.toString(rounds));
    assertThat(account.changes()).isEqualTo(rounds + 1);
    assertThat(count("select count(*) from es_commands")).isEqualTo(rounds + 1L);
  }

  @Test
  void aRejectionIsRecordedAndAnsweredAgainEvenOnceTheStateWouldAcceptIt() {
    processor.handle(accounts, "a4", "open-a4", new Open("alice"), ALICE);

    CommandOutcome rejected =
        processor.handle(accounts, "a4", "wd-1", new Withdraw(BigDecimal.TEN), ALICE);
    processor.handle(accounts, "a4", "dep-1", new Deposit(new BigDecimal("100")), ALICE);
    CommandOutcome again =
        processor.handle(accounts, "a4", "wd-1", new Withdraw(BigDecimal.TEN), ALICE);

    assertThat(rejected)
        .isEqualTo(new CommandOutcome.Rejected("INSUFFICIENT_FUNDS", "balance 0 is below 10"));
    assertThat(again).isEqualTo(rejected);
    assertThat(processor.outcome("wd-1")).contains(rejected);
    assertThat(processor.load(accounts, "a4").state().balance()).isEqualByComparingTo("100");
  }

  @Test
  void aConflictingAppendIsDecidedAgainOnTheNewState() {
    processor.handle(accounts, "a5", "open-a5", new Open("alice"), ALICE);
    AtomicBoolean sneakIn = new AtomicBoolean(true);
    accounts.beforeDecide =
        () -> {
          if (sneakIn.getAndSet(false)) { // another instance's deposit lands after our load
            store.append(
                "account-a5",
                1,
                List.of(NewEvent.of(new Deposited(new BigDecimal("5")), "other-instance")));
          }
        };

    CommandOutcome outcome =
        processor.handle(accounts, "a5", "close-a5", new Close("moving"), ALICE);

    assertThat(outcome).isInstanceOf(CommandOutcome.Accepted.class);
    assertThat(((CommandOutcome.Accepted) outcome).version()).isEqualTo(4);
    Account account = processor.load(accounts, "a5").state();
    assertThat(account.closed()).isTrue();
    assertThat(account.balance()).as("the retry saw the deposit and withdrew it").isZero();
  }

  @Test
  void aCommandThatKeepsMeetingConflictsFailsTypedAndRecordsNothing() {
    processor.handle(accounts, "a6", "open-a6", new Open("alice"), ALICE);
    accounts.beforeDecide =
        () ->
            store.append(
                "account-a6",
                store.streamVersion("account-a6"),
                List.of(NewEvent.of(new Deposited(BigDecimal.ONE), "other-instance")));

    assertThatThrownBy(
            () -> processor.handle(accounts, "a6", "dep-x", new Deposit(BigDecimal.TEN), ALICE))
        .isInstanceOf(WrongExpectedVersionException.class);
    assertThat(processor.outcome("dep-x")).isEmpty();
    assertThat(accounts.decisions.get()).isEqualTo(1 + CommandProcessor.MAX_ATTEMPTS);
  }

  @Test
  void commandsAndIdsAreChecked() {
    assertThatThrownBy(() -> processor.handle(accounts, "a7", " ", new Open("x"), ALICE))
        .hasMessageContaining("command id must not be blank");
    assertThatThrownBy(() -> processor.handle(accounts, "a 7", "c", new Open("x"), ALICE))
        .hasMessageContaining("whitespace");
    assertThatThrownBy(() -> processor.handle("account", "a7", "c", "not a command", ALICE))
        .isInstanceOf(InvalidCommandException.class)
        .hasMessageContaining("does not take java.lang.String");
    assertThatThrownBy(() -> processor.handle("invoice", "a7", "c", new Open("x"), ALICE))
        .hasMessageContaining("no aggregate of category 'invoice'");
    assertThatThrownBy(
            () ->
                CommandProcessor.builder(store, Accounts.COMMANDS)
                    .aggregate(accounts, AccountCommand.class)
                    .aggregate(new AccountAggregate(), AccountCommand.class))
        .hasMessageContaining("registered twice");
    assertThatThrownBy(
            () -> processor.handle(new AccountAggregate(), "a7", "c", new Open("x"), ALICE))
        .hasMessageContaining("registered with another aggregate");
  }

  private static long count(String sql) {
    return database.transaction(
        "count",
        c -> {
          try (PreparedStatement s = c.prepareStatement(sql);
              ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  static void reset(Database database) {
    database.transaction(
        "empty the event store",
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute("truncate es_events, es_snapshots, es_commands");
            s.execute("update es_head set position = 0");
          }
          return null;
        });
  }
}
