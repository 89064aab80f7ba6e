package dev.firemesh.bench.fanout;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The command line of {@link FanoutDriver}. */
@Command(
    name = "fanout-benchmark",
    mixinStandardHelpOptions = true,
    description = {
      "Time from `firemesh apply` to every connected proxy having the new configuration, with"
          + " simulated xDS clients (ADS streams that behave like FireMesh sidecars).",
      "Exit code 0 when every apply reached every client, 1 otherwise, 2 for bad arguments."
    },
    footer = {
      "%nExamples:",
      "  fanout-benchmark --control-data-dir /tmp/fm --clients 10,100,1000 --json fanout.json",
      "  fanout-benchmark --admin https://127.0.0.1:7070 --token-file /tmp/fm/admin.token"
          + " --xds 127.0.0.1:18000 --clients 1000 --applies 50"
    })
public final class FanoutBenchmark implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--control-data-dir",
      paramLabel = "DIR",
      description =
          "The control plane's data directory: addresses from control.json, token from"
              + " admin.token.")
  Optional<Path> dataDir;

  @Option(
      names = "--admin",
      paramLabel = "URL",
      description = "The admin API, e.g. https://127.0.0.1:7070")
  Optional<URI> admin;

  @Option(
      names = "--ca-bundle",
      paramLabel = "FILE",
      description = "PEM roots of the admin API's certificate (<data-dir>/trust-bundle.pem)")
  Optional<Path> caBundle;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "An admin's bearer token (it applies, and creates join tokens to enrol with)")
  Optional<Path> tokenFile;

  @Option(names = "--xds", paramLabel = "HOST:PORT", description = "The ADS address")
  Optional<String> xds;

  @Option(
      names = "--clients",
      split = ",",
      defaultValue = "10,100,1000",
      description = "Simulated sidecars per round (default: ${DEFAULT-VALUE})")
  List<Integer> clients;

  @Option(
      names = "--applies",
      defaultValue = "20",
      description = "Changes applied and timed per round (default: ${DEFAULT-VALUE})")
  int applies;

  @Option(
      names = "--warmup-applies",
      defaultValue = "3",
      description = "Unrecorded applies at the start of each round (default: ${DEFAULT-VALUE})")
  int warmupApplies;

  @Option(
      names = "--channels",
      defaultValue = "0",
      description =
          "HTTP/2 connections per round in all, at least one per service (each presents its"
              + " service's certificate); 0: one per 50 sidecars, at most 16 (default)")
  int channels;

  @Option(
      names = "--io-threads",
      defaultValue = "2",
      description = "Event-loop threads for the sidecars (default: ${DEFAULT-VALUE})")
  int ioThreads;

  @Option(
      names = "--zones",
      defaultValue = "0",
      description = "Spread the sidecars over this many zones of one region (default: none)")
  int zones;

  @Option(
      names = "--pause",
      defaultValue = "100ms",
      converter = DurationConverter.class,
      description = "Pause between applies (default: ${DEFAULT-VALUE})")
  Duration pause;

  @Option(
      names = "--timeout",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "Longest wait for every sidecar, per apply (default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(
      names = "--probe-service",
      defaultValue = "fanout-probe",
      description =
          "The Service the benchmark creates, changes and deletes (default: ${DEFAULT-VALUE})")
  String probeService;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the report as JSON here")
  Optional<Path> json;

  public static void main(String[] args) {
    System.exit(new CommandLine(new FanoutBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    ControlPlaneAddress controlPlane = controlPlane();
    FanoutPlan plan =
        new FanoutPlan(
            clients,
            applies,
            warmupApplies,
            channels,
            ioThreads,
            zones,
            pause,
            timeout,
            probeService);
    out.println("control plane: " + controlPlane);
    out.flush();
    FanoutReport report =
        new FanoutDriver(
                controlPlane,
                plan,
                line -> {
                  out.println(line);
                  out.flush();
                })
            .run();
    out.println();
    out.println(report.markdown());
    for (FanoutResult result : report.results()) {
      result.problems().forEach(problem -> out.println(result.clients() + " clients: " + problem));
    }
    if (json.isPresent()) {
      report.writeJson(json.get());
      out.println("report written to " + json.get());
    }
    out.flush();
    return report.complete() ? 0 : 1;
  }

  private ControlPlaneAddress controlPlane() throws IOException {
    if (dataDir.isPresent()) {
      if (admin.isPresent() || xds.isPresent() || tokenFile.isPresent()) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--control-data-dir names the control plane; --admin, --xds and --token-file are"
                + " for one without a data directory");
      }
      return ControlPlaneAddress.fromDataDir(dataDir.get());
    }
    if (admin.isEmpty() || xds.isEmpty() || tokenFile.isEmpty()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "name the control plane: --control-data-dir DIR, or --admin URL --token-file FILE"
              + " --xds HOST:PORT");
    }
    return ControlPlaneAddress.of(admin.get(), tokenFile.get(), xds.get(), caBundle);
  }

  /** {@code 500ms}, {@code 5s}, {@code 2m} or ISO-8601. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      try {
        if (v.startsWith("pt")) {
          return Duration.parse(value.trim());
        }
        if (v.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
          return Duration.ofMillis(
              Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        }
        if (v.endsWith("m")) {
          return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
        }
      } catch (RuntimeException e) {
        throw notADuration(value, e);
      }
      throw notADuration(value, null);
    }

    private static CommandLine.TypeConversionException notADuration(
        String value, RuntimeException cause) {
      CommandLine.TypeConversionException e =
          new CommandLine.TypeConversionException(
              "'" + value + "' is not a duration (expected e.g. 500ms, 5s, 2m)");
      if (cause != null) {
        e.initCause(cause);
      }
      return e;
    }
  }
}
