package dev.firemesh.bench.events;

import dev.firemesh.bench.harness.Units;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The run as Markdown: what {@code docs/benchmarks.md} quotes, and what stdout shows. */
final class EventsReport {
  private EventsReport() {}

  static String render(EventsResults r) {
    StringBuilder md = new StringBuilder();
    md.append("# FireMesh event store, commands and subscriptions, ").append(r.date());
    md.append("\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Machine: %d CPUs, %s, %s; load average %.2f at the start. Store: %s (%s).%n%n",
            r.machine().cpus(),
            r.machine().kernel(),
            r.machine().jvm(),
            r.machine().loadAverageAtStart(),
            r.store(),
            r.storeSettings().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "))));
    EventsPlan plan = r.plan();
    md.append(
        String.format(
            Locale.ROOT,
            "Open loop, latency from each operation's scheduled start (HdrHistogram). Per run:"
                + " %.1f s warm-up (not recorded), %.1f s recorded, %d writers, %,d streams round"
                + " robin, a projection with %d partitions; the store's pool (its size above) is"
                + " shared by the writers, the sequencer and the subscription. `append`: one event"
                + " with its expected version; `command`: a deposit through"
                + " `CommandProcessor.handle` with a fresh command id; `command repeat`: ids the"
                + " `command` run had accepted, sent again and answered from the stored outcome; `subscriber lag`: during the"
                + " appends, from an append's commit to a projection applying its event (sequencer"
                + " and subscription included). A run kept up when, without an error, every"
                + " operation started within %.1f s (the drain) after the schedule's end, and the"
                + " projection applied every event within the drain after the last append.%n%n",
            plan.warmup().toMillis() / 1000.0,
            plan.duration().toMillis() / 1000.0,
            plan.writers(),
            plan.streams(),
            plan.partitions(),
            plan.drain().toMillis() / 1000.0));
    md.append(
        "| operation | rate | p50 | p90 | p99 | p99.9 | max | count | errors | achieved rate |"
            + " kept up |\n");
    md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (OperationFigures f : r.figures()) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d/s | %s | %s | %s | %s | %s | %,d | %s | %,.0f/s | %s |%n",
              f.operation(),
              f.rate(),
              Units.micros(f.p50()),
              Units.micros(f.p90()),
              Units.micros(f.p99()),
              Units.micros(f.p999()),
              Units.micros(f.max()),
              f.count(),
              f.conflicts() == 0
                  ? String.format(Locale.ROOT, "%,d", f.errors())
                  : String.format(Locale.ROOT, "%,d (%,d conflicts)", f.errors(), f.conflicts()),
              f.achievedRate(),
              f.keptUp()
                  ? "yes"
                  : "**no**"
                      + (f.missed() == 0
                          ? ""
                          : String.format(
                              Locale.ROOT,
                              ": %,d %s",
                              f.missed(),
                              f.operation().equals("subscriber lag")
                                  ? "applied after the drain"
                                  : "not started by the end of the drain"))));
    }
    for (OperationFigures f : r.figures()) {
      f.firstError()
          .ifPresent(
              e ->
                  md.append(
                      String.format(
                          Locale.ROOT,
                          "%n%s at %,d/s, first error: %s%n",
                          f.operation(),
                          f.rate(),
                          e)));
    }
    md.append("\n");
    return md.toString();
  }
}
