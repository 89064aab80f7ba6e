package dev.firemesh.bench.harness;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The run as Markdown tables: what {@code docs/benchmarks.md} quotes. */
final class MarkdownReport {
  private MarkdownReport() {}

  static String render(BenchResults r) {
    StringBuilder md = new StringBuilder();
    BenchPlan plan = r.plan();
    md.append("# FireMesh benchmark, ").append(r.date()).append("\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Machine: %d CPUs, %s, %s; load average %.2f at the start. %s.%n%n",
            r.machine().cpus(),
            r.machine().kernel(),
            r.machine().jvm(),
            r.machine().loadAverageAtStart(),
            capitalised(r.placement())));
    md.append(
        String.format(
            Locale.ROOT,
            "Open loop, latency from each request's intended send time (HdrHistogram). %d"
                + " repeat(s), interleaved (A B C, then C B A); each figure is the median of the"
                + " repeats, the smallest and largest in brackets. Per run: %s warm-up (not"
                + " recorded), %s recorded, %d connections (%s), %d-byte POST bodies echoed back;"
                + " saturation: %d connections, %s recorded. CPU is the proxies' user+system time"
                + " (both of a pair), warm-up included.%n%n",
            plan.repeats(),
            seconds(plan.warmup()),
            seconds(plan.duration()),
            plan.connections(),
            plan.protocol() == dev.firemesh.bench.Protocol.H2 ? "HTTP/2, h2c" : "HTTP/1.1",
            plan.payloadBytes(),
            plan.saturationConnections(),
            seconds(plan.saturationDuration())));
    r.kernelFloor()
        .ifPresent(
            f ->
                md.append(
                    String.format(
                        Locale.ROOT,
                        "Kernel floor (sockperf TCP ping-pong on the load CPU, %d-byte messages,"
                            + " round trip): p50 %s, p99 %s, p99.9 %s, max %s.%n%n",
                        f.payloadBytes(),
                        Units.micros(f.p50Micros()),
                        Units.micros(f.p99Micros()),
                        Units.micros(f.p999Micros()),
                        Units.micros(f.maxMicros()))));
    generatorOverhead(r).ifPresent(md::append);
    if (!r.skipped().isEmpty()) {
      md.append("Not run: ");
      md.append(
          r.skipped().entrySet().stream()
              .map(e -> "`" + e.getKey() + "` (" + e.getValue() + ")")
              .collect(Collectors.joining("; ")));
      md.append(".\n\n");
    }

    List<String> loads = r.figures().stream().map(ScenarioFigures::load).distinct().toList();
    for (String load : loads) {
      List<ScenarioFigures> rows = r.figures().stream().filter(f -> f.load().equals(load)).toList();
      if (load.equals("saturation")) {
        md.append("## Saturation\n\n");
        md.append(
            "| scenario | throughput (req/s) | CPU-s per 10k requests | proxy RSS under load |\n");
        md.append("| --- | --- | --- | --- |\n");
        for (ScenarioFigures f : rows) {
          md.append("| ")
              .append(f.scenario())
              .append(" | ")
              .append(spread(f.achievedRate(), v -> String.format(Locale.ROOT, "%,.0f", v)))
              .append(" | ")
              .append(cpu(f))
              .append(" | ")
              .append(rss(f.maxProxyRssBytes()))
              .append(" |\n");
        }
      } else {
        md.append("## ").append(load).append("\n\n");
        md.append(
            "| scenario | p50 | p90 | p99 | p99.9 | max | added p50 | added p99 | CPU-s per 10k"
                + " requests | vCPU per 1k req/s per proxy | proxy RSS idle / load | kept up |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (ScenarioFigures f : rows) {
          md.append("| ")
              .append(f.scenario())
              .append(" | ")
              .append(latency(f.p50()))
              .append(" | ")
              .append(latency(f.p90()))
              .append(" | ")
              .append(latency(f.p99()))
              .append(" | ")
              .append(latency(f.p999()))
              .append(" | ")
              .append(latency(f.max()))
              .append(" | ")
              .append(added(f.addedP50()))
              .append(" | ")
              .append(added(f.addedP99()))
              .append(" | ")
              .append(cpu(f))
              .append(" | ")
              .append(vcpu(f))
              .append(" | ")
              .append(
                  Optional.ofNullable(r.idleRssBytes().get(f.scenario()))
                      .map(idle -> rss(idle) + " / " + rss(f.maxProxyRssBytes()))
                      .orElse("-"))
              .append(" | ")
              .append(
                  f.overloadedRepeats() == 0 && f.errors() == 0
                      ? "yes"
                      : "**no**: "
                          + f.overloadedRepeats()
                          + " of "
                          + f.repeats()
                          + " runs behind, "
                          + f.errors()
                          + " errors")
              .append(" |\n");
        }
      }
      md.append("\n");
    }

    if (!r.comparisons().isEmpty()) {
      md.append("## FireMesh against its peers\n\n");
      md.append(
          "Ratios of medians: added latency (lower is better for FireMesh) and throughput at"
              + " saturation (higher is better).\n\n");
      md.append(
          "| FireMesh | peer | load | added p50 ratio | added p99 ratio | throughput ratio |\n");
      md.append("| --- | --- | --- | --- | --- | --- |\n");
      for (Comparison c : r.comparisons()) {
        md.append("| ")
            .append(c.fireMesh())
            .append(" | ")
            .append(c.peer())
            .append(" | ")
            .append(c.load())
            .append(" | ")
            .append(ratio(c.addedP50Ratio()))
            .append(" | ")
            .append(ratio(c.addedP99Ratio()))
            .append(" | ")
            .append(ratio(c.throughputRatio()))
            .append(" |\n");
      }
      md.append("\n");
    }
    r.fanout()
        .ifPresent(
            fanout ->
                md.append("## Control plane: from apply to every proxy\n\n")
                    .append(
                        "Simulated sidecars (ADS streams that subscribe and ACK like `firemesh"
                            + " proxy`) on a fresh control plane; each apply changes one Service's"
                            + " port, which every proxy must receive. Delays from the apply call's"
                            + " return to the client's ACK of the whole new configuration.\n\n")
                    .append(fanout.markdown())
                    .append("\n\n"));
    return md.toString();
  }

  private static String latency(Spread s) {
    return spread(s, Units::micros);
  }

  private static String added(Optional<Spread> s) {
    return s.map(v -> (v.median() >= 0 ? "+" : "") + Units.micros(v.median())).orElse("-");
  }

  private static String cpu(ScenarioFigures f) {
    return f.scenario().equals("direct")
        ? "-"
        : String.format(Locale.ROOT, "%.3f", f.cpuSecondsPer10k().median());
  }

  /**
   * A pair's CPU seconds per 10,000 requests as the figure mesh vendors quote: vCPU per 1,000
   * requests/s for one proxy (seconds per request are the same at any rate; two proxies share it).
   */
  private static String vcpu(ScenarioFigures f) {
    return f.scenario().equals("direct")
        ? "-"
        : String.format(Locale.ROOT, "%.3f", f.cpuSecondsPer10k().median() / 10 / 2);
  }

  /**
   * What the generator and the echo upstream add over the kernel: the direct path's p50 at the
   * lowest fixed rate minus sockperf's round trip.
   */
  private static Optional<String> generatorOverhead(BenchResults r) {
    return r.kernelFloor()
        .flatMap(
            floor ->
                r.figures().stream()
                    .filter(f -> f.scenario().equals("direct") && !f.load().equals("saturation"))
                    .findFirst()
                    .map(
                        direct ->
                            String.format(
                                Locale.ROOT,
                                "The generator and the echo upstream add %s at p50 over that floor"
                                    + " (the direct path at %s: %s).%n%n",
                                Units.micros(direct.p50().median() - floor.p50Micros()),
                                direct.load(),
                                Units.micros(direct.p50().median()))));
  }

  private static String rss(long bytes) {
    return bytes == 0 ? "-" : Units.mebibytes(bytes);
  }

  private static String ratio(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
  }

  private static String spread(Spread s, java.util.function.DoubleFunction<String> format) {
    if (s.min() == s.max()) {
      return format.apply(s.median());
    }
    return format.apply(s.median())
        + " ("
        + format.apply(s.min())
        + "–"
        + format.apply(s.max())
        + ")";
  }

  private static String seconds(java.time.Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  private static String capitalised(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
