package dev.firemesh.bench.events;

import dev.firemesh.bench.LoadGenerator;
import dev.firemesh.store.StoreException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code firemesh bench events}: {@link EventsBench} from the command line. */
@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the chassis's event store, commands and subscriptions in process: appends with"
          + " their expected version, commands through the CommandProcessor (fresh ids, then"
          + " repeated ids), and the lag from an append's commit to a projection applying it.",
      "Open loop at fixed rates, latency from each operation's scheduled start. Writes results.md"
          + " and results.json."
    },
    footer = {
      "%nExit code 0 when every run kept up without an error, 1 otherwise, 2 for bad options.",
      "%nExamples:",
      "  firemesh bench events --smoke",
      "  firemesh bench events --rates 500,2000,4000 --writers 32",
      "  firemesh bench events --store-url postgresql://bench:secret@db:5432/scratch"
    })
public final class EventsBenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--smoke", description = "200/s, 1 s recorded after 200 ms: every code path once")
  boolean smoke;

  @Option(
      names = "--store-url",
      paramLabel = "URL",
      description =
          "an external PostgreSQL to measure (a scratch database: the bench migrates the chassis's"
              + " schema and leaves its events there); default: an embedded one in a scratch folder")
  Optional<String> storeUrl;

  @Option(
      names = "--results",
      paramLabel = "DIR",
      description = "where to write the results (default: target/bench-events/<date-time>)")
  Optional<Path> results;

  @Option(
      names = "--rates",
      split = ",",
      paramLabel = "N",
      description = "operations per second, one run each (default: 500,2000; smoke: 200)")
  List<Integer> rates = List.of();

  @Option(
      names = "--duration",
      converter = LoadGenerator.DurationConverter.class,
      description = "recorded time per run (default: 10s; smoke: 1s)")
  Optional<Duration> duration;

  @Option(
      names = "--warmup",
      converter = LoadGenerator.DurationConverter.class,
      description = "unrecorded start of each run (default: 2s; smoke: 200ms)")
  Optional<Duration> warmup;

  @Option(names = "--streams", description = "streams (aggregates) round robin (default: 1000)")
  Optional<Integer> streams;

  @Option(names = "--writers", description = "operations in flight at most (default: 16)")
  Optional<Integer> writers;

  @Option(
      names = "--partitions",
      description = "the projection's partitions, all in this process (default: 8, as a service)")
  Optional<Integer> partitions;

  /** Without the rest of the {@code firemesh} command. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new EventsBenchCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    EventsPlan base = smoke ? EventsPlan.smoke() : EventsPlan.defaults();
    EventsPlan plan;
    try {
      plan =
          new EventsPlan(
              rates.isEmpty() ? base.rates() : rates,
              warmup.orElse(base.warmup()),
              duration.orElse(base.duration()),
              streams.orElse(base.streams()),
              writers.orElse(base.writers()),
              partitions.orElse(base.partitions()),
              base.drain());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    Path dir =
        results.orElseGet(
            () ->
                Path.of(
                    "target",
                    "bench-events",
                    LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
    EventsResults outcome;
    try {
      outcome = new EventsBench(plan, spec.commandLine().getOut()).run(storeUrl, dir);
    } catch (StoreException e) {
      spec.commandLine().getErr().println("bench events: error: " + e.getMessage());
      return 1;
    }
    spec.commandLine().getOut().println();
    spec.commandLine().getOut().print(EventsReport.render(outcome));
    spec.commandLine().getOut().flush();
    return outcome.keptUp() ? 0 : 1;
  }
}
