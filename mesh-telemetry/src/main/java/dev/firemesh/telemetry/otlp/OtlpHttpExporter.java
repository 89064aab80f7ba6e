package dev.firemesh.telemetry.otlp;

import dev.firemesh.telemetry.trace.Resource;
import dev.firemesh.telemetry.trace.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Sends finished spans to one or more OTLP/HTTP endpoints: {@code POST <endpoint>/v1/traces} with
 * an {@code application/x-protobuf} {@code ExportTraceServiceRequest}, on the JDK's HTTP client
 * (over TLS with the given {@link SSLContext}, which for the control plane presents the workload's
 * SVID).
 *
 * <p>{@link #offer} is for the data plane: it never blocks and never throws. Each endpoint has a
 * bounded queue of its own and one daemon thread that batches (up to {@code maxBatchSize} spans, or
 * whatever is there after {@code maxDelay}) and sends, retrying by the {@link RetryPolicy}. A full
 * queue drops the span and counts it; {@link #counts()} says what became of every span. {@link
 * #close()} sends what is queued, within {@code closeTimeout}.
 *
 * <pre>{@code
 * OtlpHttpExporter exporter = OtlpHttpExporter.builder(resource)
 *     .endpoint(URI.create("https://control.example:8443"))
 *     .sslContext(workloadSslContext)
 *     .build();
 * hop.finish(outcome).ifPresent(exporter::offer);
 * }</pre>
 */
public final class OtlpHttpExporter implements AutoCloseable {
  /** Tunables shared by every endpoint of an exporter. */
  record Settings(
      int queueCapacity,
      int maxBatchSize,
      Duration maxDelay,
      Duration requestTimeout,
      RetryPolicy retry,
      Duration closeTimeout) {}

  private final List<EndpointExport> endpoints;
  private final HttpClient client;
  private final Duration closeTimeout;
  private boolean closed;

  private OtlpHttpExporter(Builder builder) {
    Settings settings =
        new Settings(
            builder.queueCapacity,
            builder.maxBatchSize,
            builder.maxDelay,
            builder.requestTimeout,
            builder.retry,
            builder.closeTimeout);
    this.closeTimeout = builder.closeTimeout;
    HttpClient.Builder http =
        HttpClient.newBuilder()
            // HTTP/1.1: OTLP receivers all speak it, and an h2c upgrade attempt buys nothing here.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(builder.connectTimeout);
    builder.sslContext.ifPresent(http::sslContext);
    this.client = http.build();
    List<EndpointExport> list = new ArrayList<>();
    for (URI endpoint : builder.endpoints) {
      list.add(new EndpointExport(endpoint, builder.resource, client, settings));
    }
    this.endpoints = List.copyOf(list);
    endpoints.forEach(EndpointExport::start);
  }

  /** An exporter for the spans of {@code resource} (the sidecar's service and instance). */
  public static Builder builder(Resource resource) {
    return new Builder(resource);
  }

  /**
   * Queues the span for every endpoint. Never blocks, never throws: where an endpoint's queue is
   * full (or the exporter is closed) the span is dropped for it and counted.
   *
   * @return whether every endpoint queued it (false with no endpoints)
   */
  public boolean offer(Span span) {
    boolean all = !endpoints.isEmpty();
    for (EndpointExport endpoint : endpoints) {
      all &= endpoint.offer(span);
    }
    return all;
  }

  /** Per endpoint, in the order configured. */
  public Map<URI, ExportCounts> counts() {
    Map<URI, ExportCounts> counts = new LinkedHashMap<>();
    for (EndpointExport endpoint : endpoints) {
      counts.put(endpoint.endpoint(), endpoint.counts());
    }
    return counts;
  }

  /** Summed over the endpoints. */
  public ExportCounts totals() {
    ExportCounts total = ExportCounts.ZERO;
    for (EndpointExport endpoint : endpoints) {
      total = total.plus(endpoint.counts());
    }
    return total;
  }

  public List<URI> endpoints() {
    return endpoints.stream().map(EndpointExport::endpoint).toList();
  }

  /**
   * Sends what is queued and stops, taking at most about {@code closeTimeout}; spans it could not
   * send by then are counted as dropped or failed. Later offers are dropped.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long deadline = System.nanoTime() + closeTimeout.toNanos();
    endpoints.forEach(e -> e.beginClose(deadline));
    try {
      for (EndpointExport endpoint : endpoints) {
        endpoint.awaitClosed(deadline + Duration.ofMillis(200).toNanos());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      client.shutdownNow();
    }
  }

  /** Configures an exporter; {@link #build()} starts its threads. */
  public static final class Builder {
    private final Resource resource;
    private final List<URI> endpoints = new ArrayList<>();
    private Optional<SSLContext> sslContext = Optional.empty();
    private int queueCapacity = 2048;
    private int maxBatchSize = 512;
    private Duration maxDelay = Duration.ofSeconds(1);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private RetryPolicy retry = RetryPolicy.DEFAULT;
    private Duration closeTimeout = Duration.ofSeconds(5);

    private Builder(Resource resource) {
      this.resource = Objects.requireNonNull(resource, "resource");
    }

    /**
     * An OTLP/HTTP base endpoint ({@code http://host:port} or {@code https://...}, optionally with
     * a path prefix); spans go to {@code /v1/traces} under it. Call once per endpoint; with none,
     * the exporter takes nothing (tracing export disabled).
     */
    public Builder endpoint(URI endpoint) {
      String scheme = endpoint.getScheme();
      if (!"http".equals(scheme) && !"https".equals(scheme)) {
        throw new IllegalArgumentException(
            "an OTLP endpoint is an http:// or https:// URL, got " + endpoint);
      }
      if (endpoint.getHost() == null) {
        throw new IllegalArgumentException("an OTLP endpoint needs a host, got " + endpoint);
      }
      if (endpoint.getRawQuery() != null || endpoint.getRawFragment() != null) {
        throw new IllegalArgumentException(
            "an OTLP endpoint is a base URL without query or fragment, got " + endpoint);
      }
      if (endpoints.contains(endpoint)) {
        throw new IllegalArgumentException("OTLP endpoint " + endpoint + " is given twice");
      }
      endpoints.add(endpoint);
      return this;
    }

    /** The TLS context for https endpoints (the workload's SVID as client certificate). */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = Optional.of(sslContext);
      return this;
    }

    /** Spans each endpoint holds before dropping (default 2048). */
    public Builder queueCapacity(int queueCapacity) {
      if (queueCapacity < 1) {
        throw new IllegalArgumentException("queueCapacity must be at least 1");
      }
      this.queueCapacity = queueCapacity;
      return this;
    }

    /** The most spans in one request (default 512). */
    public Builder maxBatchSize(int maxBatchSize) {
      if (maxBatchSize < 1) {
        throw new IllegalArgumentException("maxBatchSize must be at least 1");
      }
      this.maxBatchSize = maxBatchSize;
      return this;
    }

    /** The longest a span waits for its batch to fill (default 1 s). */
    public Builder maxDelay(Duration maxDelay) {
      this.maxDelay = positive(maxDelay, "maxDelay");
      return this;
    }

    /** The bound on one HTTP request, answer included (default 10 s). */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = positive(requestTimeout, "requestTimeout");
      return this;
    }

    /** The bound on opening a connection (default 5 s). */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    public Builder retry(RetryPolicy retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    /** How long {@link #close()} may take to send what is queued (default 5 s). */
    public Builder closeTimeout(Duration closeTimeout) {
      if (closeTimeout.isNegative()) {
        throw new IllegalArgumentException("closeTimeout must not be negative");
      }
      this.closeTimeout = closeTimeout;
      return this;
    }

    /** The exporter, its threads started. */
    public OtlpHttpExporter build() {
      if (maxBatchSize > queueCapacity) {
        throw new IllegalArgumentException(
            "maxBatchSize ("
                + maxBatchSize
                + ") must not exceed queueCapacity ("
                + queueCapacity
                + "): a batch would never fill");
      }
      return new OtlpHttpExporter(this);
    }

    private static Duration positive(Duration d, String name) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + d);
      }
      return d;
    }
  }
}
