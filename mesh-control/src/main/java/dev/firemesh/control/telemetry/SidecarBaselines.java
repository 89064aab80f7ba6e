package dev.firemesh.control.telemetry;

import java.util.HashMap;
import java.util.Map;

/**
 * Each sidecar's counters at the previous scrape, by xDS node id, turning the next scrape into
 * increases. Owned by the collector's thread.
 *
 * <ul>
 *   <li>A sidecar seen for the first time only sets its baseline: its totals are counted since it
 *       started, at some time unknown, and would land in one interval as a burst.
 *   <li>A series new in a known sidecar counts from zero: it began since the last scrape.
 *   <li>A counter that went down means the sidecar restarted (same node id): the increase is what
 *       it counted since ({@link Figures#since}).
 *   <li>A sidecar missing from a scrape is forgotten, so one that comes back is new again and a
 *       failed scrape never turns into a burst on the next.
 * </ul>
 */
final class SidecarBaselines {
  private Map<String, Map<SeriesKey, Figures>> previous = new HashMap<>();

  /**
   * The increases since the last scrape, summed over the sidecars, by series.
   *
   * @param scraped each answering sidecar's counters, by node id
   */
  Map<SeriesKey, Figures> advance(Map<String, Map<SeriesKey, Figures>> scraped) {
    Map<SeriesKey, Figures> increases = new HashMap<>();
    for (Map.Entry<String, Map<SeriesKey, Figures>> sidecar : scraped.entrySet()) {
      Map<SeriesKey, Figures> before = previous.get(sidecar.getKey());
      if (before == null) {
        continue;
      }
      sidecar
          .getValue()
          .forEach(
              (key, now) ->
                  increases.merge(
                      key, now.since(before.getOrDefault(key, Figures.NONE)), Figures::plus));
    }
    previous = new HashMap<>(scraped);
    return increases;
  }

  /** How many sidecars have a baseline. */
  int sidecars() {
    return previous.size();
  }
}
