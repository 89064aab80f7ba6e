package dev.firemesh.bench.harness;

import java.util.ArrayList;
import java.util.List;

/**
 * Which CPUs the load side (generator and upstream) and the proxies under test run on. Everything
 * shares a small machine, so placement decides much of what is measured: it is fixed with {@code
 * taskset} and reported beside every figure.
 *
 * @param load CPU list for the generator, the echo upstream and sockperf (taskset syntax, e.g.
 *     {@code 0})
 * @param proxies CPU list for both proxies of a pair (e.g. {@code 1})
 */
public record CpuPlacement(String load, String proxies) {

  public CpuPlacement {
    requireCpuList(load, "load");
    requireCpuList(proxies, "proxies");
  }

  /**
   * The layout of RECIPES.md's reference figures: load on CPU 0, proxies on CPU 1; on a machine
   * with one CPU everything shares it.
   */
  public static CpuPlacement defaultFor(int cpus) {
    return cpus >= 2 ? new CpuPlacement("0", "1") : new CpuPlacement("0", "0");
  }

  List<String> pinLoad(List<String> command) {
    return pin(load, command);
  }

  List<String> pinProxies(List<String> command) {
    return pin(proxies, command);
  }

  /** Human-readable, for reports. */
  public String describe() {
    return "generator, echo upstream and sockperf on CPU " + load + "; proxies on CPU " + proxies;
  }

  private static List<String> pin(String cpus, List<String> command) {
    List<String> pinned = new ArrayList<>(List.of("taskset", "-c", cpus));
    pinned.addAll(command);
    return pinned;
  }

  private static void requireCpuList(String cpus, String what) {
    if (!cpus.matches("\\d+([-,]\\d+)*")) {
      throw new IllegalArgumentException(
          what + " CPUs must be a taskset list such as 0 or 0-1 or 0,2, was '" + cpus + "'");
    }
  }
}
