package dev.firemesh.chassis.cqrs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.chassis.cqrs.Accounts.Account;
import dev.firemesh.chassis.cqrs.Accounts.AccountAggregate;
import dev.firemesh.chassis.cqrs.Accounts.AccountCommand;
import dev.firemesh.chassis.cqrs.Accounts.AccountEvent;
import dev.firemesh.chassis.cqrs.Accounts.Close;
import dev.firemesh.chassis.cqrs.Accounts.Deposit;
import dev.firemesh.chassis.cqrs.Accounts.Open;
import dev.firemesh.chassis.cqrs.Accounts.Withdraw;
import dev.firemesh.chassis.events.EventStore;
import dev.firemesh.chassis.store.ChassisStore;
import dev.firemesh.store.Database;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The aggregate as the chassis runs it, against the aggregate as pure functions: any sequence of
 * commands, handled through the store with snapshots every few events, leaves the state and answers
 * the outcomes the pure fold gives, and loading from a snapshot gives what a full replay gives.
 */
class SnapshotPropertyTest {
  private static Path dataDir;
  private static Database database;
  private static EventStore store;

  @BeforeContainer
  static void startDatabase() throws IOException {
    dataDir = Files.createTempDirectory("snapshot-property");
    database = ChassisStore.embedded(dataDir);
    store = EventStore.open(database, Accounts.EVENTS);
  }

  @AfterContainer
  static void stopDatabase() throws IOException {
    store.close();
    database.close();
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }

  @Property(tries = 40)
  void snapshottedLoadingGivesTheStateOfAFullReplayAndOfThePureFold(
      @ForAll("commands") List<AccountCommand> commands,
      @ForAll @IntRange(min = 1, max = 4) int every) {
    String id = UUID.randomUUID().toString();
    AccountAggregate snapshotted = new AccountAggregate();
    AccountAggregate replayed = new AccountAggregate();
    AccountAggregate renamed = new AccountAggregate();
    CommandProcessor withSnapshots =
        CommandProcessor.builder(store, Accounts.COMMANDS)
            .aggregate(snapshotted, AccountCommand.class, Snapshots.every(every, Account.class, 1))
            .build();
    CommandProcessor fullReplay =
        CommandProcessor.builder(store, Accounts.COMMANDS)
            .aggregate(replayed, AccountCommand.class)
            .build();
    CommandProcessor newStateSchema =
        CommandProcessor.builder(store, Accounts.COMMANDS)
            .aggregate(renamed, AccountCommand.class, Snapshots.every(every, Account.class, 2))
            .build();

    AccountAggregate pure = new AccountAggregate();
    Account expected = pure.initial();
    long events = 0;
    for (int i = 0; i < commands.size(); i++) {
      CommandOutcome outcome =
          withSnapshots.handle(
              snapshotted, id, id + "/" + i, commands.get(i), CommandMetadata.of("property"));
      switch (pure.decide(expected, commands.get(i))) {
        case Decision.Accept<AccountEvent> accept -> {
          for (AccountEvent event : accept.events()) {
            expected = pure.evolve(expected, event);
          }
          events += accept.events().size();
          assertThat(outcome).isInstanceOf(CommandOutcome.Accepted.class);
          assertThat(((CommandOutcome.Accepted) outcome).version()).isEqualTo(events);
        }
        case Decision.Reject<AccountEvent> reject ->
            assertThat(outcome)
                .isEqualTo(new CommandOutcome.Rejected(reject.code(), reject.reason()));
      }
    }

    assertThat(withSnapshots.load(snapshotted, id))
        .isEqualTo(new CommandProcessor.Loaded<>(expected, events));
    assertThat(fullReplay.load(replayed, id))
        .isEqualTo(new CommandProcessor.Loaded<>(expected, events));
    assertThat(newStateSchema.load(renamed, id))
        .isEqualTo(new CommandProcessor.Loaded<>(expected, events));
    long appended = events;
    if (appended >= every) {
      assertThat(store.latestSnapshot("account-" + id))
          .hasValueSatisfying(s -> assertThat(s.streamVersion()).isGreaterThan(appended - every));
    } else {
      assertThat(store.latestSnapshot("account-" + id)).isEmpty();
    }
  }

  @Property
  void anOutcomeReadsBackFromItsJson(@ForAll("outcomes") CommandOutcome outcome) {
    assertThat(CommandOutcome.fromJson(outcome.toJson())).isEqualTo(outcome);
  }

  @Provide
  Arbitrary<List<AccountCommand>> commands() {
    Arbitrary<BigDecimal> amounts =
        Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("150")).ofScale(2);
    Arbitrary<AccountCommand> command =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(2, Arbitraries.strings().alpha().ofLength(5).map(Open::new)),
            net.jqwik.api.Tuple.of(6, amounts.map(Deposit::new)),
            net.jqwik.api.Tuple.of(4, amounts.map(Withdraw::new)),
            net.jqwik.api.Tuple.of(1, Arbitraries.of("done", "moving").map(Close::new)));
    return command.list().ofMaxSize(25);
  }

  @Provide
  Arbitrary<CommandOutcome> outcomes() {
    Arbitrary<CommandOutcome> accepted =
        net.jqwik.api.Combinators.combine(
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(30),
                Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.create(UUID::randomUUID).list().ofMaxSize(5))
            .as((stream, version, ids) -> new CommandOutcome.Accepted("s-" + stream, version, ids));
    Arbitrary<CommandOutcome> rejected =
        net.jqwik.api.Combinators.combine(
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20),
                Arbitraries.strings().ofMaxLength(60))
            .as(CommandOutcome.Rejected::new);
    return Arbitraries.oneOf(accepted, rejected);
  }
}
