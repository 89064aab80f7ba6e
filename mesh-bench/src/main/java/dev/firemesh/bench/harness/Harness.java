package dev.firemesh.bench.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.firemesh.bench.EchoServer;
import dev.firemesh.bench.fanout.ControlPlaneAddress;
import dev.firemesh.bench.fanout.FanoutDriver;
import dev.firemesh.bench.fanout.FanoutPlan;
import dev.firemesh.bench.fanout.FanoutReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a {@link BenchPlan}: measures the kernel's floor, starts the echo upstream and every
 * scenario side by side (all stay up for the whole run, idle when not measured), primes each, then
 * runs (scenario, load) pairs interleaved, forward then backward, so that a noisy moment on the
 * shared machine spreads over all scenarios instead of deciding a comparison. Writes {@code
 * results.json}, {@code results.md} and {@code latency.svg} to the results folder.
 */
public final class Harness {
  private final BenchPlan plan;
  private final Optional<FireMeshLauncher> fireMesh;
  private final PrintWriter log;

  public Harness(BenchPlan plan, Optional<FireMeshLauncher> fireMesh, PrintWriter log) {
    this.plan = plan;
    this.fireMesh = fireMesh;
    this.log = log;
  }

  /** Runs the plan and writes the results into {@code resultsDir} (created if missing). */
  public BenchResults run(Path resultsDir) throws IOException {
    Files.createDirectories(resultsDir);
    Path scratch = Files.createTempDirectory("firemesh-bench");
    // nginx's workers run as another user and read their folders
    scratch.toFile().setReadable(true, false);
    scratch.toFile().setExecutable(true, false);
    BenchResults.Machine machine = BenchResults.Machine.current();
    String date =
        ZonedDateTime.now()
            .truncatedTo(ChronoUnit.SECONDS)
            .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    CpuPlacement placement = plan.placement();
    log.println("bench: " + placement.describe() + "; scratch folder " + scratch);

    List<Measurement> measurements = new ArrayList<>();
    Map<String, String> skipped = new LinkedHashMap<>();
    Map<String, Long> idleRss = new LinkedHashMap<>();
    Optional<KernelFloor> floor = Optional.empty();
    Optional<FanoutReport> fanout = Optional.empty();
    try {
      try (Workspace ws = new Workspace(scratch)) {
        if (plan.kernelFloor().isPositive()) {
          floor = KernelFloor.measure(ws, placement, plan.payloadBytes(), plan.kernelFloor());
          floor.ifPresentOrElse(
              f ->
                  log.printf(
                      "bench: kernel floor (sockperf round trip) p50 %s p99 %s%n",
                      Units.micros(f.p50Micros()), Units.micros(f.p99Micros())),
              () -> skipped.put("kernel floor", "sockperf is not installed"));
        }
        InetSocketAddress upstream = startUpstream(ws, placement);
        ScenarioContext context =
            new ScenarioContext(ws, placement, upstream, fireMesh, plan.protocol());

        List<RunningPath> paths = new ArrayList<>();
        for (String name : plan.scenarios()) {
          Scenario scenario = Scenario.named(name);
          Optional<String> reason = scenario.unavailable(context);
          if (reason.isPresent()) {
            log.println("bench: skipping " + name + ": " + reason.get());
            skipped.put(name, reason.get());
            continue;
          }
          log.println("bench: starting " + name);
          paths.add(scenario.start(context));
        }
        Workspace.pause(Duration.ofSeconds(1)); // let start-up work settle before idle figures
        for (RunningPath path : paths) {
          path.proxies().stream()
              .mapToLong(ProcessUsage::residentBytes)
              .max()
              .ifPresent(rss -> idleRss.put(path.scenario().name(), rss));
        }

        GeneratorRun generator = new GeneratorRun(ws, placement, plan.protocol());
        if (plan.primer().isPositive() && !plan.rates().isEmpty()) {
          int rate = plan.rates().stream().mapToInt(Integer::intValue).max().orElseThrow();
          for (RunningPath path : paths) {
            log.println("bench: priming " + path.scenario().name() + " at " + rate + "/s");
            generator.run(
                path,
                "primer",
                0,
                rate,
                plan.connections(),
                plan.payloadBytes(),
                Duration.ZERO,
                plan.primer());
          }
        }
        for (int repeat = 0; repeat < plan.repeats(); repeat++) {
          for (Slot slot : order(paths, repeat)) {
            Measurement m = measure(generator, slot, repeat);
            log.printf(
                "bench: repeat %d %-14s %-11s %s%n",
                repeat + 1, slot.path().scenario().name(), m.load(), m.report().summaryLine());
            measurements.add(m);
          }
        }
        fanout = fanout(ws, skipped);
      }
    } catch (HarnessException e) {
      // the scratch folder stays: it holds every process's log and configuration
      throw new HarnessException(
          e.getMessage() + "\n(logs and configurations: " + scratch + ")", e);
    }
    deleteRecursively(scratch);

    List<ScenarioFigures> figures = BenchResults.figures(measurements, plan.scenarios());
    BenchResults results =
        new BenchResults(
            date,
            machine,
            placement.describe(),
            plan,
            floor,
            skipped,
            idleRss,
            figures,
            BenchResults.comparisons(figures),
            measurements,
            fanout);
    write(results, resultsDir);
    return results;
  }

  /** A scenario at one load: a fixed rate, or saturation ({@code rate} empty). */
  private record Slot(RunningPath path, Optional<Integer> rate) {
    String load() {
      return rate.map(r -> r + "/s").orElse("saturation");
    }
  }

  /** Forward on even repeats, backward on odd ones: A1 B1 A2 B2, then B2 A2 B1 A1. */
  private List<Slot> order(List<RunningPath> paths, int repeat) {
    List<Optional<Integer>> loads = new ArrayList<>();
    plan.rates().forEach(r -> loads.add(Optional.of(r)));
    if (plan.saturation()) {
      loads.add(Optional.empty());
    }
    List<Slot> slots = new ArrayList<>();
    for (Optional<Integer> load : loads) {
      for (RunningPath path : paths) {
        slots.add(new Slot(path, load));
      }
    }
    return interleaved(slots, repeat);
  }

  /** Forward on even repeats, backward on odd ones, so that A B C C B A ... */
  static <T> List<T> interleaved(List<T> slots, int repeat) {
    return repeat % 2 == 0 ? slots : slots.reversed();
  }

  private Measurement measure(GeneratorRun generator, Slot slot, int repeat) {
    // A saturation run has no warm-up: a warm-up at an unreachable rate leaves a backlog the
    // recorded window never gets past. Its slots are all due at once, so every connection sends
    // back to back and the achieved rate is the throughput.
    if (slot.rate().isPresent()) {
      return generator.run(
          slot.path(),
          slot.load(),
          repeat,
          slot.rate().get(),
          plan.connections(),
          plan.payloadBytes(),
          plan.warmup(),
          plan.duration());
    }
    return generator.run(
        slot.path(),
        slot.load(),
        repeat,
        BenchPlan.SATURATION_RATE,
        plan.saturationConnections(),
        plan.payloadBytes(),
        Duration.ZERO,
        plan.saturationDuration());
  }

  /**
   * The control-plane figure: simulated sidecars on a control plane of their own (a fresh one: a
   * control plane keeps pushing to disconnected nodes for minutes, which would weigh on the next
   * fleet size), the time from an apply to every one of them holding the change.
   */
  private Optional<FanoutReport> fanout(Workspace ws, Map<String, String> skipped) {
    if (plan.fanoutClients().isEmpty()) {
      return Optional.empty();
    }
    if (fireMesh.isEmpty()) {
      skipped.put("control-plane fan-out", "no FireMesh launcher given");
      return Optional.empty();
    }
    log.println("bench: control-plane fan-out to " + plan.fanoutClients() + " simulated sidecars");
    ControlPlane controlPlane = ControlPlane.start(ws, fireMesh.get(), "fanout-control", List.of());
    FanoutPlan fanoutPlan =
        FanoutPlan.of(plan.fanoutClients(), plan.fanoutApplies())
            .withWarmupApplies(plan.fanoutApplies() >= 10 ? 3 : 1);
    try {
      FanoutReport report =
          new FanoutDriver(
                  ControlPlaneAddress.fromDataDir(controlPlane.dataDir()),
                  fanoutPlan,
                  line -> log.println("bench: fan-out " + line))
              .run();
      return Optional.of(report);
    } catch (IOException e) {
      throw new HarnessException("cannot read the fan-out control plane's address", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HarnessException("interrupted during the fan-out", e);
    }
  }

  private InetSocketAddress startUpstream(Workspace ws, CpuPlacement placement) {
    int port = Workspace.freePort();
    List<String> command = new ArrayList<>(GeneratorRun.javaCommand());
    command.addAll(
        List.of(EchoServer.class.getName(), "--port", Integer.toString(port), "--threads", "1"));
    Process echo = ws.start("echo-upstream", placement.pinLoad(command), Map.of());
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
    ws.awaitListening("echo-upstream", echo, address, Duration.ofSeconds(30));
    return address;
  }

  /** How results.json is written: Optionals as values, durations as ISO-8601, indented. */
  public static ObjectMapper json() {
    return new ObjectMapper()
        .registerModule(new Jdk8Module())
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .enable(SerializationFeature.INDENT_OUTPUT);
  }

  private void write(BenchResults results, Path dir) throws IOException {
    json().writeValue(dir.resolve("results.json").toFile(), results);
    Files.writeString(dir.resolve("results.md"), MarkdownReport.render(results));
    Files.writeString(dir.resolve("latency.svg"), LatencyPlot.render(results));
    log.println(
        "bench: results in " + dir.toAbsolutePath() + " (results.md, results.json, latency.svg)");
  }

  private static void deleteRecursively(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
