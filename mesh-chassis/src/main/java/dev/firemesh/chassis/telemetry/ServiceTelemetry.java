package dev.firemesh.chassis.telemetry;

import dev.firemesh.telemetry.metrics.GoldenMetrics;
import dev.firemesh.telemetry.otlp.OtlpHttpExporter;
import dev.firemesh.telemetry.trace.Direction;
import dev.firemesh.telemetry.trace.HopOutcome;
import dev.firemesh.telemetry.trace.Sampler;
import dev.firemesh.telemetry.trace.TraceHop;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;

/**
 * A chassis service's metrics and traces: the golden metrics of the requests it serves (the
 * sidecar's families, {@code direction="inbound"}), a Micrometer registry for everything else (JVM,
 * configuration, reference data, and the service's own meters), the sampler that decides which
 * spans are exported, and the OTLP exporter they go to.
 */
public final class ServiceTelemetry implements AutoCloseable {
  private final String service;
  private final GoldenMetrics golden = new GoldenMetrics();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Sampler sampler;
  private final Optional<OtlpHttpExporter> exporter;
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public ServiceTelemetry(String service, Sampler sampler, Optional<OtlpHttpExporter> exporter) {
    this.service = service;
    this.sampler = sampler;
    this.exporter = exporter;
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc.bindTo(registry);
  }

  /**
   * The registry for meters other than the golden ones; a service may register its own here and
   * they appear on {@code /metrics}.
   */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public String service() {
    return service;
  }

  /** Continues the caller's trace, or starts one, for a request this service serves. */
  public TraceHop begin(String traceparent, String tracestate) {
    return TraceHop.start(traceparent, tracestate, sampler);
  }

  /**
   * Records a served request: its golden metrics, and its span when the sampler exports it.
   *
   * @param caller the calling service as the sidecar states it, or {@code unknown}
   */
  public void served(
      TraceHop hop,
      HopOutcome outcome,
      String caller,
      String route,
      long requestBytes,
      long responseBytes) {
    golden.record(
        Direction.INBOUND,
        caller,
        service,
        route,
        outcome.statusCode(),
        outcome.grpcStatus(),
        outcome.durationNanos() / 1_000,
        requestBytes,
        responseBytes);
    exporter.ifPresent(otlp -> hop.finish(outcome).ifPresent(otlp::offer));
  }

  /** Everything, in Prometheus text format: the golden metrics, then the rest. */
  public String exposition() {
    return golden.exposition() + registry.scrape();
  }

  @Override
  public void close() {
    exporter.ifPresent(OtlpHttpExporter::close);
    gc.close();
    registry.close();
  }
}
