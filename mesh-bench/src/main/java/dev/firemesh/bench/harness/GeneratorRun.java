package dev.firemesh.bench.harness;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firemesh.bench.LoadGenerator;
import dev.firemesh.bench.LoadReport;
import dev.firemesh.bench.Protocol;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One run of the load generator against a running scenario, in its own JVM pinned to the load CPUs
 * (so its JIT and GC never land on the proxies' CPUs, and every run starts from the same state),
 * while the proxies' CPU time and resident memory are read from {@code /proc}.
 */
final class GeneratorRun {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final Duration DRAIN = Duration.ofSeconds(2);
  private static final Duration RSS_SAMPLE = Duration.ofMillis(200);

  private final Workspace workspace;
  private final CpuPlacement placement;
  private final Protocol protocol;
  private int runs;

  GeneratorRun(Workspace workspace, CpuPlacement placement, Protocol protocol) {
    this.workspace = workspace;
    this.placement = placement;
    this.protocol = protocol;
  }

  /**
   * Sends {@code rate} requests/s for {@code warmup} plus {@code duration} and returns what was
   * measured; {@code saturation} runs are expected to fall behind, the others not (a run that
   * cannot keep up is reported as such, not thrown).
   */
  Measurement run(
      RunningPath path,
      String load,
      int repeat,
      int rate,
      int connections,
      int payloadBytes,
      Duration warmup,
      Duration duration) {
    String name = "generator-" + (++runs) + "-" + path.scenario().name();
    Path json = workspace.file(name + ".json");
    List<String> command = new ArrayList<>(javaCommand());
    command.addAll(
        List.of(
            LoadGenerator.class.getName(),
            "--target",
            "127.0.0.1:" + path.entry().getPort(),
            "--host",
            path.host(),
            "--protocol",
            protocol.label(),
            "--rate",
            Integer.toString(rate),
            "--connections",
            Integer.toString(connections),
            "--payload",
            Integer.toString(payloadBytes),
            "--warmup",
            warmup.toMillis() + "ms",
            "--duration",
            duration.toMillis() + "ms",
            "--drain",
            DRAIN.toMillis() + "ms",
            "--json",
            json.toString()));
    double cpuBefore = ProcessUsage.cpuSeconds(path.proxies());
    AtomicLong maxRss = new AtomicLong();
    Thread sampler =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    path.proxies()
                        .forEach(
                            p -> maxRss.accumulateAndGet(ProcessUsage.residentBytes(p), Math::max));
                    try {
                      Thread.sleep(RSS_SAMPLE);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
    int exit;
    try {
      exit =
          workspace.run(
              name,
              placement.pinLoad(command),
              Map.of(),
              warmup.plus(duration).plus(DRAIN).plusSeconds(60));
    } finally {
      sampler.interrupt();
    }
    double cpu = ProcessUsage.cpuSeconds(path.proxies()) - cpuBefore;
    LoadReport report;
    try {
      report = JSON.readValue(json.toFile(), LoadReport.class);
    } catch (IOException e) {
      throw new HarnessException(
          "the generator (exit " + exit + ") wrote no report: " + workspace.tail(name), e);
    }
    long warmupRequests =
        Math.round(Math.min(rate, report.achievedRate() + 1) * warmup.toNanos() / 1e9);
    long sent = warmupRequests + report.count() + report.errors() + report.unanswered();
    return new Measurement(path.scenario().name(), load, repeat, report, cpu, sent, maxRss.get());
  }

  /**
   * A JVM for the generator and the echo upstream: this one's class path, a fixed heap, and C1
   * only. With C2, a fresh generator JVM compiles on the one load CPU during the recorded window
   * and sends ~2% of its requests more than 1 ms late: the direct path's p99 was 3.4-6.6 ms; with
   * C1 alone 0.6-0.75 ms (the generator needs predictable sends, not peak throughput).
   */
  static List<String> javaCommand() {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms256m",
        "-Xmx256m",
        "-XX:+UseParallelGC",
        "-XX:TieredStopAtLevel=1",
        "--enable-native-access=ALL-UNNAMED",
        "-cp",
        System.getProperty("java.class.path"));
  }
}
