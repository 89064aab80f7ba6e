package dev.firemesh.bench.harness;

import dev.firemesh.bench.LoadReport;

/**
 * One generator run against one scenario.
 *
 * @param scenario the scenario's name
 * @param load {@code 1000/s} for a fixed rate or {@code saturation}
 * @param repeat which repeat (0-based)
 * @param report what the generator measured
 * @param proxyCpuSeconds user+system CPU of the scenario's proxies during the run, warm-up included
 * @param requestsSent requests the run sent, warm-up included: what that CPU paid for
 * @param maxProxyRssBytes the largest resident size of any one of the scenario's proxies, sampled
 *     during the run
 */
public record Measurement(
    String scenario,
    String load,
    int repeat,
    LoadReport report,
    double proxyCpuSeconds,
    long requestsSent,
    long maxProxyRssBytes) {

  /** CPU seconds of the pair per 10,000 requests (0 for the direct path). */
  public double cpuSecondsPer10k() {
    return requestsSent == 0 ? 0 : proxyCpuSeconds * 10_000.0 / requestsSent;
  }
}
