package dev.firemesh.bench.harness;

import dev.firemesh.bench.LoadGenerator;
import dev.firemesh.bench.Protocol;
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

/**
 * {@code firemesh bench}: the comparison harness from the command line. Without options it runs the
 * full plan (about 12 minutes on 2 cores); {@code --smoke} runs every scenario for a few seconds.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the sidecar pair against no proxy and HAProxy and nginx pairs, side by side.",
      "Open loop at fixed rates and at saturation, interleaved and repeated, plaintext and mTLS"
          + " between the proxies; then the control plane's apply-to-every-proxy delay. Writes"
          + " results.md, results.json and latency.svg.",
      "HAProxy, nginx and sockperf come from Debian packages (./firemesh bench installs them);"
          + " a scenario whose program is missing is reported as not run."
    },
    footer = {
      "%nExamples:",
      "  firemesh bench --smoke",
      "  firemesh bench --scenarios direct,firemesh,haproxy --rates 1000 --repeats 5",
      "  firemesh bench --protocol h2 --no-saturation"
    })
public final class HarnessCommand implements Callable<Integer> {
  private final Optional<FireMeshLauncher> fireMesh;

  @Spec CommandSpec spec;

  @Option(names = "--smoke", description = "a few seconds per scenario, every code path once")
  boolean smoke;

  @Option(
      names = "--results",
      paramLabel = "DIR",
      description = "where to write the results (default: results/bench-<date-time>)")
  Optional<Path> results;

  @Option(
      names = "--scenarios",
      split = ",",
      paramLabel = "NAME",
      description =
          "which scenarios, in order (default: all): direct, firemesh-mtls, haproxy,"
              + " haproxy-mtls, nginx, nginx-mtls")
  List<String> scenarios = List.of();

  @Option(
      names = "--rates",
      split = ",",
      paramLabel = "N",
      description = "fixed rates in requests/s (default: 1000,4000; smoke: 200)")
  List<Integer> rates = List.of();

  @Option(names = "--no-saturation", description = "skip the saturation runs")
  boolean noSaturation;

  @Option(names = "--repeats", description = "interleaved repeats (default: 3; smoke: 1)")
  Optional<Integer> repeats;

  @Option(
      names = "--duration",
      converter = LoadGenerator.DurationConverter.class,
      description = "recorded time per fixed-rate run (default: 8s; smoke: 2s)")
  Optional<Duration> duration;

  @Option(
      names = "--warmup",
      converter = LoadGenerator.DurationConverter.class,
      description = "unrecorded start of each run (default: 3s; smoke: 500ms)")
  Optional<Duration> warmup;

  @Option(names = "--connections", description = "connections at fixed rates (default: 4)")
  Optional<Integer> connections;

  @Option(names = "--payload", description = "POST body bytes, echoed back (default: 1024)")
  Optional<Integer> payload;

  @Option(
      names = "--protocol",
      converter = ProtocolConverter.class,
      description =
          "http1 (default) or h2: what the generator speaks (h2c), and the proxies between each"
              + " other; nginx cannot proxy HTTP/2 to its upstream, so its pairs do not run")
  Optional<Protocol> protocol;

  static final class ProtocolConverter implements CommandLine.ITypeConverter<Protocol> {
    @Override
    public Protocol convert(String value) {
      return Protocol.parse(value);
    }
  }

  @Option(names = "--load-cpus", description = "CPUs for generator and upstream (default: 0)")
  Optional<String> loadCpus;

  @Option(names = "--proxy-cpus", description = "CPUs for the proxies (default: 1)")
  Optional<String> proxyCpus;

  public HarnessCommand(Optional<FireMeshLauncher> fireMesh) {
    this.fireMesh = fireMesh;
  }

  /** Without FireMesh on the class path: the peers and the direct path only. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new HarnessCommand(Optional.empty())).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    int cpus = Runtime.getRuntime().availableProcessors();
    BenchPlan base = smoke ? BenchPlan.smoke(cpus) : BenchPlan.full(cpus);
    BenchPlan plan;
    try {
      CpuPlacement defaults = base.placement();
      plan =
          new BenchPlan(
              scenarios.isEmpty() ? base.scenarios() : scenarios,
              rates.isEmpty() ? base.rates() : rates,
              base.saturation() && !noSaturation,
              repeats.orElse(base.repeats()),
              base.primer(),
              warmup.orElse(base.warmup()),
              duration.orElse(base.duration()),
              base.saturationDuration(),
              connections.orElse(base.connections()),
              base.saturationConnections(),
              payload.orElse(base.payloadBytes()),
              protocol.orElse(base.protocol()),
              new CpuPlacement(
                  loadCpus.orElse(defaults.load()), proxyCpus.orElse(defaults.proxies())),
              base.kernelFloor(),
              base.fanoutClients(),
              base.fanoutApplies());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    Path dir =
        results.orElseGet(
            () ->
                Path.of(
                    "results",
                    LocalDateTime.now()
                        .format(DateTimeFormatter.ofPattern("'bench-'yyyyMMdd-HHmmss"))));
    BenchResults outcome;
    try {
      outcome = new Harness(plan, fireMesh, spec.commandLine().getOut()).run(dir);
    } catch (HarnessException e) {
      spec.commandLine().getErr().println("bench: error: " + e.getMessage());
      return 1;
    }
    spec.commandLine().getOut().println();
    spec.commandLine().getOut().print(MarkdownReport.render(outcome));
    spec.commandLine().getOut().flush();
    boolean failed =
        outcome.figures().stream().anyMatch(f -> !f.load().equals("saturation") && f.errors() > 0)
            || outcome.fanout().map(fanout -> !fanout.complete()).orElse(false);
    return failed ? 1 : 0;
  }
}
