package dev.firemesh.bench.events;

import dev.firemesh.bench.harness.BenchResults.Machine;
import java.util.List;
import java.util.Map;

/**
 * Everything an {@link EventsBench} run found; written as {@code results.json}.
 *
 * @param date when the run started, ISO-8601 with offset
 * @param store the PostgreSQL measured, as the chassis describes it
 * @param storeSettings the server's durability settings during the run ({@code fsync}, {@code
 *     synchronous_commit})
 * @param figures one row per operation and rate: appends, the subscriber's lag, commands, repeats
 */
public record EventsResults(
    String date,
    Machine machine,
    String store,
    Map<String, String> storeSettings,
    EventsPlan plan,
    List<OperationFigures> figures) {

  public EventsResults {
    storeSettings = Map.copyOf(storeSettings);
    figures = List.copyOf(figures);
  }

  /** True when every run kept up without an error. */
  public boolean keptUp() {
    return figures.stream().allMatch(OperationFigures::keptUp);
  }
}
