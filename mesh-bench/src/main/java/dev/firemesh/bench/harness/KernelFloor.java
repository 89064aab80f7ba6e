package dev.firemesh.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel's loopback TCP round trip, measured with {@code sockperf ping-pong} on the load CPUs
 * with the same payload size: what no user-space stack can beat. The direct path's latency minus
 * this floor is what the generator and the echo upstream themselves add.
 *
 * @param payloadBytes the message size sockperf sent
 * @param p50Micros median round trip
 * @param p99Micros 99th percentile round trip
 * @param p999Micros 99.9th percentile round trip
 * @param maxMicros the slowest round trip observed
 */
public record KernelFloor(
    int payloadBytes, double p50Micros, double p99Micros, double p999Micros, double maxMicros) {

  private static final Pattern PERCENTILE =
      Pattern.compile("percentile\\s+([0-9.]+)\\s*=\\s*([0-9.]+)");
  private static final Pattern MAX = Pattern.compile("<MAX> observation\\s*=\\s*([0-9.]+)");

  static Optional<KernelFloor> measure(
      Workspace ws, CpuPlacement placement, int payloadBytes, Duration duration) {
    Optional<java.nio.file.Path> sockperf = Scenario.program("sockperf");
    if (sockperf.isEmpty()) {
      return Optional.empty();
    }
    int port = Workspace.freePort();
    String bin = sockperf.get().toString();
    Process server =
        ws.start(
            "sockperf-server",
            placement.pinLoad(
                List.of(bin, "server", "--tcp", "-i", "127.0.0.1", "-p", Integer.toString(port))),
            Map.of());
    ws.awaitListening(
        "sockperf-server", server, new java.net.InetSocketAddress("127.0.0.1", port), WAIT);
    int exit =
        ws.run(
            "sockperf-client",
            placement.pinLoad(
                List.of(
                    bin,
                    "ping-pong",
                    "--tcp",
                    "-i",
                    "127.0.0.1",
                    "-p",
                    Integer.toString(port),
                    "-m",
                    Integer.toString(Math.max(payloadBytes, 14)), // sockperf's smallest message
                    "-t",
                    Long.toString(Math.max(1, duration.toSeconds())),
                    "--full-rtt")),
            Map.of(),
            duration.plusSeconds(30));
    server.destroy();
    if (exit != 0) {
      throw new HarnessException("sockperf ping-pong failed: " + ws.tail("sockperf-client"));
    }
    try {
      return Optional.of(parse(payloadBytes, Files.readString(ws.file("sockperf-client.log"))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Reads sockperf's summary (round trips with {@code --full-rtt}, in microseconds). */
  static KernelFloor parse(int payloadBytes, String output) {
    String plain = output.replaceAll("\u001B\\[[0-9;]*m", ""); // colour codes
    Map<String, Double> percentiles = new java.util.HashMap<>();
    Matcher m = PERCENTILE.matcher(plain);
    while (m.find()) {
      percentiles.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    Matcher max = MAX.matcher(plain);
    if (!max.find()
        || !percentiles.containsKey("50.000")
        || !percentiles.containsKey("99.000")
        || !percentiles.containsKey("99.900")) {
      throw new HarnessException(
          "sockperf printed no percentile summary (expected 'percentile 50.000 = ...')");
    }
    return new KernelFloor(
        payloadBytes,
        percentiles.get("50.000"),
        percentiles.get("99.000"),
        percentiles.get("99.900"),
        Double.parseDouble(max.group(1)));
  }
}
