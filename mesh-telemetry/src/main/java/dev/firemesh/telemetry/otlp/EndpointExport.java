package dev.firemesh.telemetry.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.firemesh.telemetry.trace.Resource;
import dev.firemesh.telemetry.trace.Span;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One endpoint's share of an exporter: its bounded queue, the daemon thread that owns its batch and
 * sends it, and its counters. Producers (event loops) only ever add to a lock-free queue and bump
 * counters; everything that may wait (the HTTP call, a backoff) happens on the thread. Endpoints do
 * not share a queue or a thread, so a dead collector costs only its own spans.
 */
final class EndpointExport {
  private static final Logger log = LoggerFactory.getLogger(EndpointExport.class);

  private final URI endpoint;
  private final URI tracesUri;
  private final Resource resource;
  private final HttpClient client;
  private final OtlpHttpExporter.Settings settings;
  private final long maxDelayNanos;

  private final ConcurrentLinkedQueue<Span> queue = new ConcurrentLinkedQueue<>();

  /** Spans offered and not yet settled (exported, failed or dropped): queued or in the batch. */
  private final AtomicInteger pending = new AtomicInteger();

  private final LongAdder dropped = new LongAdder();
  private final AtomicLong exported = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Thread thread;

  private volatile boolean closing;
  private volatile long closeDeadlineNanos;

  /** Owned by the thread: whether the last batch failed, so a failure is logged once. */
  private boolean failing;

  EndpointExport(
      URI endpoint, Resource resource, HttpClient client, OtlpHttpExporter.Settings settings) {
    this.endpoint = endpoint;
    this.tracesUri = tracesUri(endpoint);
    this.resource = resource;
    this.client = client;
    this.settings = settings;
    this.maxDelayNanos = settings.maxDelay().toNanos();
    this.thread =
        Thread.ofPlatform()
            .daemon()
            .name("otlp-export " + endpoint.getAuthority())
            .unstarted(this::run);
  }

  /** {@code <endpoint>/v1/traces}, as OTLP/HTTP asks of a base endpoint. */
  static URI tracesUri(URI endpoint) {
    String base = endpoint.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + "/v1/traces");
  }

  void start() {
    thread.start();
  }

  URI endpoint() {
    return endpoint;
  }

  /** Queues the span, or drops and counts it when the queue is full. Never waits. */
  boolean offer(Span span) {
    if (closing) {
      dropped.increment();
      return false;
    }
    int size = pending.incrementAndGet();
    if (size > settings.queueCapacity()) {
      pending.decrementAndGet();
      dropped.increment();
      return false;
    }
    queue.offer(span);
    if (size == settings.maxBatchSize()) {
      LockSupport.unpark(thread); // enough for a full batch: send it now, not at the delay's end
    }
    if (closing && !thread.isAlive()) {
      dropLeftovers(); // raced with close: nobody else will take it
    }
    return true;
  }

  ExportCounts counts() {
    return new ExportCounts(
        exported.get(), dropped.sum(), failed.get(), Math.max(0, pending.get()));
  }

  /** Asks the thread to send what is queued and stop, by {@code deadlineNanos} (nanoTime). */
  void beginClose(long deadlineNanos) {
    closeDeadlineNanos = deadlineNanos;
    closing = true;
    LockSupport.unpark(thread);
  }

  /** Waits for the thread until the deadline; what it could not send is counted as dropped. */
  void awaitClosed(long deadlineNanos) throws InterruptedException {
    long left = deadlineNanos - System.nanoTime();
    if (left > 0) {
      thread.join(Duration.ofNanos(left));
    }
    if (thread.isAlive()) {
      // Still in a request started before close() with the full request timeout: cancel it (the
      // JDK client aborts a send on interrupt) and let the thread count the batch as failed.
      thread.interrupt();
      thread.join(Duration.ofMillis(500));
    }
    dropLeftovers();
  }

  private void dropLeftovers() {
    while (queue.poll() != null) {
      settleDropped(1);
    }
  }

  private void run() {
    List<Span> batch = new ArrayList<>(settings.maxBatchSize());
    long batchStarted = 0;
    long emptySince = System.nanoTime();
    while (true) {
      while (batch.size() < settings.maxBatchSize()) {
        Span span = queue.poll();
        if (span == null) {
          if (batch.isEmpty()) {
            emptySince = System.nanoTime();
          }
          break;
        }
        if (batch.isEmpty()) {
          // It arrived after the queue was last seen empty: age the batch from then, so a span
          // waits at most about maxDelay even if it came in while this thread was parked.
          batchStarted = emptySince;
        }
        batch.add(span);
      }
      boolean closing = this.closing;
      long now = System.nanoTime();
      if (!batch.isEmpty()
          && (batch.size() >= settings.maxBatchSize()
              || closing
              || now - batchStarted >= maxDelayNanos)) {
        try {
          export(batch);
        } catch (RuntimeException e) {
          // A bug here must not end the thread: the queue would fill and every span be dropped.
          log.error(
              "otlp endpoint={} could not export a batch of {} spans", endpoint, batch.size(), e);
          failed(batch.size(), e.toString());
        }
        batch.clear();
        continue;
      }
      if (closing) {
        return; // the batch is empty and the queue was drained
      }
      long wait = batch.isEmpty() ? maxDelayNanos : batchStarted + maxDelayNanos - now;
      LockSupport.parkNanos(this, Math.max(wait, 1));
    }
  }

  private void export(List<Span> batch) {
    int count = batch.size();
    if (closing && System.nanoTime() - closeDeadlineNanos >= 0) {
      settleDropped(count);
      return;
    }
    byte[] body = OtlpTraceEncoding.encode(resource, batch).toByteArray();
    RetryPolicy retry = settings.retry();
    for (int attempt = 1; ; attempt++) {
      Duration timeout = settings.requestTimeout();
      if (closing) {
        long left = closeDeadlineNanos - System.nanoTime();
        if (left <= 0) {
          failed(count, "closing: no time left to send");
          return;
        }
        timeout = Duration.ofNanos(Math.min(left, timeout.toNanos()));
      }
      HttpRequest request =
          HttpRequest.newBuilder(tracesUri)
              .timeout(timeout)
              .header("Content-Type", "application/x-protobuf")
              .header("User-Agent", "FireMesh-OTLP-Exporter")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      String problem;
      Optional<Duration> retryAfter = Optional.empty();
      try {
        HttpResponse<byte[]> response =
            client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          accepted(count, response.body());
          return;
        }
        problem = "HTTP " + status;
        if (!isRetryable(status)) {
          failed(count, problem);
          return;
        }
        retryAfter =
            response.headers().firstValue("Retry-After").flatMap(EndpointExport::retryAfter);
      } catch (IOException e) {
        problem = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failed(count, "interrupted");
        return;
      }
      if (attempt >= retry.maxAttempts()) {
        failed(count, problem + " after " + attempt + " attempts");
        return;
      }
      Duration wait = retry.backoff(attempt);
      if (retryAfter.isPresent()) {
        if (retryAfter.get().compareTo(retry.maxRetryAfter()) > 0) {
          failed(
              count, problem + " with Retry-After " + retryAfter.get() + ", longer than allowed");
          return;
        }
        if (retryAfter.get().compareTo(wait) > 0) {
          wait = retryAfter.get();
        }
      }
      if (!pause(wait)) {
        failed(count, problem + "; closing before the next attempt was due");
        return;
      }
    }
  }

  /**
   * Waits {@code wait}, or returns false at once if the exporter is (or starts) closing and the
   * wait would end past its close deadline.
   */
  private boolean pause(Duration wait) {
    long until = System.nanoTime() + wait.toNanos();
    while (true) {
      if (closing && until - closeDeadlineNanos > 0) {
        return false;
      }
      long left = until - System.nanoTime();
      if (left <= 0) {
        return true;
      }
      LockSupport.parkNanos(this, left);
      if (Thread.currentThread().isInterrupted()) {
        return false;
      }
    }
  }

  private void accepted(int count, byte[] body) {
    long rejected = 0;
    String message = "";
    if (body.length > 0) {
      try {
        var partial = ExportTraceServiceResponse.parseFrom(body).getPartialSuccess();
        rejected = Math.min(Math.max(partial.getRejectedSpans(), 0), count);
        message = partial.getErrorMessage();
      } catch (InvalidProtocolBufferException e) {
        // A 2xx whose body is not OTLP (a proxy's page): the spans were taken; nothing to count.
        log.debug("otlp endpoint={} answered a body that is not OTLP: {}", endpoint, e.toString());
      }
    }
    exported.addAndGet(count - rejected);
    failed.addAndGet(rejected);
    pending.addAndGet(-count);
    if (rejected > 0) {
      log.warn("otlp endpoint={} rejected {} of {} spans: {}", endpoint, rejected, count, message);
    }
    if (failing) {
      failing = false;
      log.info("otlp endpoint={} accepts spans again", endpoint);
    }
  }

  private void settleDropped(int count) {
    dropped.add(count);
    pending.addAndGet(-count);
  }

  private void failed(int count, String why) {
    failed.addAndGet(count);
    pending.addAndGet(-count);
    if (!failing) {
      failing = true;
      log.warn(
          "otlp endpoint={} failed to take {} spans: {} (logged once until it recovers; see the"
              + " failed-span count)",
          endpoint,
          count,
          why);
    }
  }

  static boolean isRetryable(int status) {
    return status == 429 || status == 502 || status == 503 || status == 504;
  }

  /** {@code Retry-After} as delay-seconds or an HTTP date; empty if it is neither. */
  static Optional<Duration> retryAfter(String value) {
    String v = value.strip();
    if (!v.isEmpty() && v.chars().allMatch(Character::isDigit)) {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
      } catch (NumberFormatException e) {
        return Optional.of(Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L));
      }
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration until = Duration.between(ZonedDateTime.now(at.getZone()), at);
      return Optional.of(until.isNegative() ? Duration.ZERO : until);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
