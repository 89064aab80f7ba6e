package dev.firemesh.bench.fanout;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What to run: the fleet sizes, in order, and for each how many changes to apply.
 *
 * @param clientCounts simulated sidecars per round, e.g. 10, 100, 1000
 * @param applies changes applied (and timed) per round
 * @param warmupApplies changes applied first in each round, not recorded: the first pushes of a
 *     fresh control plane (and of the benchmark's JVM) run in the interpreter
 * @param channels HTTP/2 connections per fleet in all, at least one per service (a connection
 *     presents one service's certificate); 0 picks one per 50 sidecars, at most 16
 * @param ioThreads event-loop threads per fleet
 * @param zones 0: sidecars say nothing of where they run; n: they are spread round robin over zones
 *     {@code z0..z(n-1)} of region {@code bench}, so that the control plane computes a
 *     locality-ranked endpoint view per zone, as for labelled sidecars
 * @param pause between the moment every sidecar has one change and the next apply
 * @param timeout how long to wait for every sidecar, for the first configuration and per apply
 * @param probeService the Service the benchmark owns and changes
 */
public record FanoutPlan(
    List<Integer> clientCounts,
    int applies,
    int warmupApplies,
    int channels,
    int ioThreads,
    int zones,
    Duration pause,
    Duration timeout,
    String probeService) {

  public static final int SIDECARS_PER_CHANNEL = 50;
  public static final int MAX_AUTO_CHANNELS = 16;

  public FanoutPlan {
    clientCounts = List.copyOf(clientCounts);
    Objects.requireNonNull(pause, "pause");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(probeService, "probeService");
    if (clientCounts.isEmpty() || clientCounts.stream().anyMatch(n -> n < 1)) {
      throw new IllegalArgumentException(
          "client counts must be at least 1 each, got " + clientCounts);
    }
    if (applies < 1 || warmupApplies < 0 || channels < 0 || ioThreads < 1 || zones < 0) {
      throw new IllegalArgumentException(
          "expected applies >= 1, warmupApplies >= 0, channels >= 0, ioThreads >= 1, zones >= 0;"
              + " got "
              + applies
              + ", "
              + warmupApplies
              + ", "
              + channels
              + ", "
              + ioThreads
              + ", "
              + zones);
    }
  }

  /**
   * {@code applies} per count after 3 unrecorded ones, automatic channels, 2 event-loop threads, no
   * zones, 100 ms between applies, 30 s timeout, probe Service {@code fanout-probe}.
   */
  public static FanoutPlan of(List<Integer> clientCounts, int applies) {
    return new FanoutPlan(
        clientCounts,
        applies,
        3,
        0,
        2,
        0,
        Duration.ofMillis(100),
        Duration.ofSeconds(30),
        "fanout-probe");
  }

  public static FanoutPlan defaults() {
    return of(List.of(10, 100, 1000), 20);
  }

  /** The connections a fleet of {@code clients} uses. */
  int channelsFor(int clients) {
    if (channels > 0) {
      return Math.min(channels, clients);
    }
    int wanted = (clients + SIDECARS_PER_CHANNEL - 1) / SIDECARS_PER_CHANNEL;
    return Math.max(1, Math.min(MAX_AUTO_CHANNELS, wanted));
  }

  public FanoutPlan withWarmupApplies(int warmupApplies) {
    return new FanoutPlan(
        clientCounts,
        applies,
        warmupApplies,
        channels,
        ioThreads,
        zones,
        pause,
        timeout,
        probeService);
  }

  public FanoutPlan withChannels(int channels) {
    return new FanoutPlan(
        clientCounts,
        applies,
        warmupApplies,
        channels,
        ioThreads,
        zones,
        pause,
        timeout,
        probeService);
  }

  public FanoutPlan withZones(int zones) {
    return new FanoutPlan(
        clientCounts,
        applies,
        warmupApplies,
        channels,
        ioThreads,
        zones,
        pause,
        timeout,
        probeService);
  }

  public FanoutPlan withTimeout(Duration timeout) {
    return new FanoutPlan(
        clientCounts,
        applies,
        warmupApplies,
        channels,
        ioThreads,
        zones,
        pause,
        timeout,
        probeService);
  }

  public FanoutPlan withPause(Duration pause) {
    return new FanoutPlan(
        clientCounts,
        applies,
        warmupApplies,
        channels,
        ioThreads,
        zones,
        pause,
        timeout,
        probeService);
  }

  public FanoutPlan withIoThreads(int ioThreads) {
    return new FanoutPlan(
        clientCounts,
        applies,
        warmupApplies,
        channels,
        ioThreads,
        zones,
        pause,
        timeout,
        probeService);
  }
}
