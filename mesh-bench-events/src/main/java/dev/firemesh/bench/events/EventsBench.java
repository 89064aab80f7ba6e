package dev.firemesh.bench.events;

import dev.firemesh.bench.events.Deposits.Account;
import dev.firemesh.bench.events.Deposits.Deposit;
import dev.firemesh.bench.events.Deposits.Deposited;
import dev.firemesh.bench.harness.BenchResults.Machine;
import dev.firemesh.bench.harness.Harness;
import dev.firemesh.chassis.cqrs.CommandMetadata;
import dev.firemesh.chassis.cqrs.CommandOutcome;
import dev.firemesh.chassis.cqrs.CommandProcessor;
import dev.firemesh.chassis.events.EventStore;
import dev.firemesh.chassis.events.NewEvent;
import dev.firemesh.chassis.events.subscription.Subscription;
import dev.firemesh.chassis.events.subscription.Subscriptions;
import dev.firemesh.chassis.store.ChassisStore;
import dev.firemesh.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs an {@link EventsPlan} against one PostgreSQL: the append runs with a projection following
 * them, then for each rate a run of fresh commands and a run of the same command ids again. Writes
 * {@code results.json} and {@code results.md} to the results folder.
 *
 * <p>Streams and command ids carry a per-run prefix, so runs against one external store never meet
 * each other's streams; the store keeps what a run wrote.
 */
public final class EventsBench {
  static final List<String> OPERATIONS =
      List.of("append", "subscriber lag", "command", "command repeat");

  private static final String ACTOR = "firemesh-bench";
  private static final CommandMetadata SENDER = CommandMetadata.of(ACTOR);
  private static final Duration LAG_TIMEOUT = Duration.ofSeconds(30);

  private final EventsPlan plan;
  private final PrintWriter log;

  public EventsBench(EventsPlan plan, PrintWriter log) {
    this.plan = plan;
    this.log = log;
  }

  /**
   * Runs the plan on {@code storeUrl}, or without one on an embedded PostgreSQL in a scratch folder
   * (deleted afterwards), and writes the results into {@code resultsDir} (created if missing).
   *
   * @throws dev.firemesh.store.StoreException if the store cannot be started or reached
   */
  public EventsResults run(Optional<String> storeUrl, Path resultsDir)
      throws IOException, InterruptedException {
    Files.createDirectories(resultsDir);
    Machine machine = Machine.current();
    String date =
        ZonedDateTime.now()
            .truncatedTo(ChronoUnit.SECONDS)
            .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    Optional<Path> scratch =
        storeUrl.isPresent()
            ? Optional.empty()
            : Optional.of(Files.createTempDirectory("firemesh-bench-events"));
    EventsResults results;
    try (Database database =
            storeUrl
                .map(ChassisStore::external)
                .orElseGet(() -> ChassisStore.embedded(scratch.get()));
        EventStore store = EventStore.open(database, Deposits.EVENTS)) {
      log.println("bench events: " + database.describe());
      log.flush();
      Map<String, String> settings = durability(database);
      List<OperationFigures> figures = new ArrayList<>();
      String run = Long.toString(System.currentTimeMillis(), 36);
      figures.addAll(appends(store, run));
      figures.addAll(commands(store, run));
      figures.sort(Comparator.comparingInt(f -> OPERATIONS.indexOf(f.operation())));
      results = new EventsResults(date, machine, database.describe(), settings, plan, figures);
    } finally {
      scratch.ifPresent(EventsBench::deleteRecursively);
    }
    Harness.json().writeValue(resultsDir.resolve("results.json").toFile(), results);
    Files.writeString(resultsDir.resolve("results.md"), EventsReport.render(results));
    log.println("bench events: results in " + resultsDir.toAbsolutePath());
    log.flush();
    return results;
  }

  /** At each rate, appends with their expected versions, and how far the projection trails them. */
  private List<OperationFigures> appends(EventStore store, String run) throws InterruptedException {
    ProjectionLag lag = new ProjectionLag();
    ProjectionLag.createReadModel(store.database());
    // one appender per stream at a time, so each knows the version it appends at
    long[] versions = new long[plan.streams()];
    Object[] streamLocks = new Object[plan.streams()];
    for (int i = 0; i < streamLocks.length; i++) {
      streamLocks[i] = new Object();
    }
    OpenLoopRun.Operation append =
        (slot, measured) -> {
          int stream = (int) (slot % plan.streams());
          synchronized (streamLocks[stream]) {
            NewEvent event = NewEvent.of(new Deposited(1), ACTOR);
            store.append(
                Deposits.APPEND_CATEGORY + "-" + run + "-" + stream,
                versions[stream],
                List.of(event));
            long committedAt = System.nanoTime();
            versions[stream]++;
            if (measured) {
              lag.committed(event.eventId(), committedAt);
            }
          }
        };
    List<OperationFigures> figures = new ArrayList<>();
    try (Subscriptions subscriptions =
        Subscriptions.start(
            store.database(),
            Deposits.EVENTS,
            "firemesh-bench-events",
            new SimpleMeterRegistry(),
            List.of(
                // a partition count is fixed once a subscription has run: one name per count
                Subscription.projection("firemesh-bench-read-model-" + plan.partitions(), lag)
                    .categories(Deposits.APPEND_CATEGORY)
                    .partitions(plan.partitions())
                    .build()))) {
      for (int rate : plan.rates()) {
        Tally appended = OpenLoopRun.run(plan, rate, append);
        figures.add(report("append", rate, appended));
        figures.add(
            report("subscriber lag", rate, lag.settle(appended, plan.drain(), LAG_TIMEOUT)));
      }
    }
    return figures;
  }

  /**
   * At each rate, deposits with fresh command ids, then as many with ids the first run got accepted
   * (round robin over them).
   */
  private List<OperationFigures> commands(EventStore store, String run)
      throws InterruptedException {
    Account account = new Account();
    CommandProcessor processor =
        CommandProcessor.builder(store, Deposits.COMMANDS)
            .aggregate(account, Deposit.class)
            .meterRegistry(new SimpleMeterRegistry())
            .build();
    List<OperationFigures> figures = new ArrayList<>();
    for (int rate : plan.rates()) {
      Map<Long, CommandOutcome> outcomes = new ConcurrentHashMap<>();
      String ids = run + "-" + rate + "-";
      Tally fresh =
          OpenLoopRun.run(
              plan,
              rate,
              (slot, measured) -> {
                String commandId = ids + slot;
                CommandOutcome outcome =
                    processor.handle(
                        account, aggregateId(run, slot), commandId, new Deposit(100), SENDER);
                if (outcome instanceof CommandOutcome.Rejected rejected) {
                  throw new IllegalStateException(
                      "command " + commandId + " was rejected: " + rejected.toJson());
                }
                outcomes.put(slot, outcome);
              });
      figures.add(report("command", rate, fresh));
      // every repeat is an id seen before, whether or not the fresh run kept up
      List<Long> accepted = outcomes.keySet().stream().sorted().toList();
      Tally repeated =
          OpenLoopRun.run(
              plan,
              rate,
              (slot, measured) -> {
                if (accepted.isEmpty()) {
                  throw new IllegalStateException("no command was accepted to repeat");
                }
                long seen = accepted.get((int) (slot % accepted.size()));
                String commandId = ids + seen;
                CommandOutcome outcome =
                    processor.handle(
                        account, aggregateId(run, seen), commandId, new Deposit(100), SENDER);
                if (!outcome.equals(outcomes.get(seen))) {
                  throw new IllegalStateException(
                      "command "
                          + commandId
                          + " sent again was not answered with its first outcome: "
                          + outcome.toJson());
                }
              });
      figures.add(report("command repeat", rate, repeated));
    }
    return figures;
  }

  private String aggregateId(String run, long slot) {
    return run + "-" + slot % plan.streams();
  }

  private OperationFigures report(String operation, int rate, Tally tally) {
    OperationFigures f = OperationFigures.of(operation, rate, tally);
    log.printf(
        Locale.ROOT,
        "bench events: %-14s %,6d/s achieved=%.1f/s count=%d errors=%d conflicts=%d missed=%d"
            + " p50=%dus p99=%dus max=%dus%s%n",
        operation,
        rate,
        f.achievedRate(),
        f.count(),
        f.errors(),
        f.conflicts(),
        f.missed(),
        f.p50(),
        f.p99(),
        f.max(),
        f.keptUp() ? "" : " BEHIND");
    log.flush();
    return f;
  }

  /** The server's settings that decide what a commit costs, and the pool's size. */
  private static Map<String, String> durability(Database database) {
    return database.transaction(
        "read the store's durability settings",
        c -> {
          Map<String, String> settings = new LinkedHashMap<>();
          try (Statement s = c.createStatement()) {
            for (String name : List.of("fsync", "synchronous_commit")) {
              try (ResultSet rs = s.executeQuery("show " + name)) {
                rs.next();
                settings.put(name, rs.getString(1));
              }
            }
          }
          // Ours, not the server's: the writers, the sequencer and the subscription share it.
          settings.put("pool size", Integer.toString(database.poolSize()));
          return settings;
        });
  }

  private static void deleteRecursively(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
