package dev.firemesh.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The command line of the load generator: runs one plan, prints a line, optionally writes JSON. */
@Command(
    name = "load-generator",
    mixinStandardHelpOptions = true,
    description = {
      "Sends HTTP/1.1 or HTTP/2 (h2c) POSTs at a constant rate over persistent connections and"
          + " reports latency from each request's intended send time (no coordinated omission).",
      "Exit code 0 when every scheduled request was answered with 2xx, 1 otherwise."
    })
public final class LoadGenerator implements Callable<Integer> {

  /** Concurrent streams per h2 connection unless told: a common server limit (nginx: 128). */
  static final int DEFAULT_H2_IN_FLIGHT = 100;

  @Spec CommandSpec spec;

  @Option(names = "--target", required = true, description = "host:port to connect to")
  String target;

  @Option(names = "--host", defaultValue = "echo", description = "Host header (default: echo)")
  String host;

  @Option(names = "--path", defaultValue = "/", description = "request path (default: /)")
  String path;

  @Option(names = "--rate", defaultValue = "1000", description = "requests/s (default: 1000)")
  int rate;

  @Option(names = "--connections", defaultValue = "4", description = "connections (default: 4)")
  int connections;

  @Option(
      names = "--protocol",
      defaultValue = "http1",
      converter = ProtocolConverter.class,
      description = "http1 or h2 (HTTP/2 cleartext, prior knowledge) (default: http1)")
  Protocol protocol;

  @Option(
      names = {"--max-in-flight", "--pipeline"},
      description =
          "requests in flight per connection: pipelined on http1, concurrent streams on h2"
              + " (default: 1 on http1, as wrk2; "
              + DEFAULT_H2_IN_FLIGHT
              + " on h2)")
  Optional<Integer> maxInFlight;

  @Option(
      names = "--payload",
      defaultValue = "1024",
      description = "POST body bytes (default: 1024)")
  int payload;

  @Option(
      names = "--warmup",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "unrecorded warm-up, e.g. 5s, 500ms (default: 5s)")
  Duration warmup;

  @Option(
      names = "--duration",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "recorded duration (default: 10s)")
  Duration duration;

  @Option(
      names = "--drain",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "how long to wait for a backlog after the last slot (default: 5s)")
  Duration drain;

  @Option(names = "--json", description = "write the report as JSON to this file")
  Optional<Path> json;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LoadGenerator()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException, IOException {
    LoadPlan plan;
    try {
      plan =
          new LoadPlan(
              address(target),
              host,
              path,
              rate,
              connections,
              maxInFlight.orElse(protocol == Protocol.H2 ? DEFAULT_H2_IN_FLIGHT : 1),
              payload,
              warmup,
              duration,
              drain,
              protocol);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    LoadReport report = OpenLoopGenerator.run(plan);
    System.out.println(report.summaryLine());
    if (json.isPresent()) {
      new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.get().toFile(), report);
    }
    return report.errors() == 0 && report.keptUp() ? 0 : 1;
  }

  static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("--target must be host:port, was '" + hostPort + "'");
    }
    try {
      return new InetSocketAddress(
          hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--target port is not a number in '" + hostPort + "'", e);
    }
  }

  static final class ProtocolConverter implements ITypeConverter<Protocol> {
    @Override
    public Protocol convert(String value) {
      try {
        return Protocol.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** Durations as {@code 500ms}, {@code 5s}, {@code 2m}, or ISO-8601 ({@code PT5S}). */
  public static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(java.util.Locale.ROOT);
      try {
        if (v.startsWith("pt")) {
          return Duration.parse(value);
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
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a duration (expected e.g. 500ms, 5s, 2m)");
      }
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a duration (expected e.g. 500ms, 5s, 2m)");
    }
  }
}
