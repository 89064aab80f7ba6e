package dev.firemesh.cli;

import dev.firemesh.api.codec.Durations;
import dev.firemesh.identity.WorkloadCredentials;
import dev.firemesh.identity.WorkloadSslContext;
import dev.firemesh.proxy.telemetry.Tracing;
import dev.firemesh.telemetry.otlp.OtlpHttpExporter;
import dev.firemesh.telemetry.trace.Resource;
import dev.firemesh.telemetry.trace.Sampler;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * The sidecar's tracing options ({@code firemesh proxy}, {@code firemesh run}): on by default,
 * exporting to the control plane with the workload's SVID. Checked when read, so a bad value is a
 * {@link BadInputException} naming the option.
 */
final class TracingOptions {
  static final String NONE = "none";

  @Option(
      names = "--trace-sample-ratio",
      defaultValue = "0.01",
      paramLabel = "RATIO",
      description =
          "Share of new traces sampled, 0 to 1; a caller's decision in traceparent is kept. Failed"
              + " and slow requests are exported whatever this says (default: ${DEFAULT-VALUE}).")
  String sampleRatio;

  @Option(
      names = "--trace-slow-threshold",
      defaultValue = "250ms",
      paramLabel = "DURATION",
      description =
          "A request at least this slow has its span exported even if its trace is not sampled"
              + " (default: ${DEFAULT-VALUE}).")
  String slowThreshold;

  @Option(
      names = "--otlp-endpoint",
      paramLabel = "URL|none",
      description =
          "Where spans go, OTLP/HTTP protobuf to URL/v1/traces (repeatable: each endpoint has its"
              + " own queue). Default: the control plane, with this workload's SVID. 'none': no"
              + " tracing at all (trace headers pass through untouched).")
  List<String> endpoints;

  /**
   * The tracing these options ask for.
   *
   * @param controlPlane the control plane's admin URL, the default endpoint
   * @param credentials the workload's, presented to every https endpoint
   */
  Tracing tracing(
      URI controlPlane,
      Supplier<WorkloadCredentials> credentials,
      String service,
      String instanceId,
      String env) {
    Sampler sampler = sampler();
    List<String> wanted = endpoints == null || endpoints.isEmpty() ? List.of() : endpoints;
    if (wanted.contains(NONE)) {
      if (wanted.size() > 1) {
        throw new BadInputException("--otlp-endpoint: 'none' cannot be combined with endpoints");
      }
      return Tracing.OFF;
    }
    OtlpHttpExporter.Builder exporter =
        OtlpHttpExporter.builder(new Resource(service, instanceId, env))
            .sslContext(WorkloadSslContext.following(credentials));
    if (wanted.isEmpty()) {
      exporter.endpoint(controlPlane);
    }
    for (String endpoint : wanted) {
      try {
        exporter.endpoint(URI.create(endpoint));
      } catch (IllegalArgumentException e) {
        throw new BadInputException("--otlp-endpoint: " + e.getMessage());
      }
    }
    return Tracing.exportingTo(sampler, exporter.build());
  }

  Sampler sampler() {
    double ratio;
    try {
      ratio = Double.parseDouble(sampleRatio);
    } catch (NumberFormatException e) {
      ratio = Double.NaN;
    }
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new BadInputException(
          "--trace-sample-ratio: expected a number from 0 to 1, got '" + sampleRatio + "'");
    }
    Duration slow =
        Durations.parse(slowThreshold)
            .filter(d -> !d.isNegative())
            .orElseThrow(
                () ->
                    new BadInputException(
                        "--trace-slow-threshold: expected a duration like 250ms or 1s, got '"
                            + slowThreshold
                            + "'"));
    return new Sampler(ratio, slow);
  }
}
