package dev.firemesh.proxy.telemetry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: each record is formatted into a line on the event loop that ends the request and
 * put on a bounded queue, never waiting; one writer thread of its own (single writer: it alone
 * touches the file) drains the queue into a buffer and flushes whenever the queue runs dry, so a
 * line is in the file within moments of its request even when traffic is light. When the queue is
 * full, or the writer cannot write, lines are dropped and counted ({@link #dropped()}: {@code
 * firemesh_proxy_access_log_dropped_total}).
 *
 * <p>The writer parks while there is nothing to write; an event loop wakes it only when it is
 * parked, so a busy log costs no wake-ups.
 */
public final class AccessLog implements ExchangeObserver, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AccessLog.class);
  private static final long IDLE_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long CLOSE_WAIT_MILLIS = 5_000;

  private final AccessLogFormat format;
  private final int capacity;
  private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder written = new LongAdder();
  private final LogSink sink;
  private final Thread writer;
  private volatile boolean parked;
  private volatile boolean closed;
  private boolean failing;

  private AccessLog(AccessLogFormat format, int capacity, LogSink sink) {
    this.format = format;
    this.capacity = capacity;
    this.sink = sink;
    this.writer = Thread.ofPlatform().daemon().name("firemesh-access-log").unstarted(this::run);
  }

  /**
   * Opens the log's file (creating its directory) and starts its writer.
   *
   * @throws UncheckedIOException if the file cannot be opened
   */
  public static AccessLog start(AccessLogSettings settings) {
    LogSink sink;
    try {
      sink =
          settings.file().isPresent()
              ? new RotatingFile(
                  settings.file().get(), settings.maxFileBytes(), settings.keepFiles())
              : LogSink.stdout();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open the access log " + settings.file().orElseThrow() + ": " + e.getMessage(), e);
    }
    return start(AccessLogFormat.of(settings), settings.queueLines(), sink);
  }

  static AccessLog start(AccessLogFormat format, int capacity, LogSink sink) {
    AccessLog accessLog = new AccessLog(format, capacity, sink);
    accessLog.writer.start();
    return accessLog;
  }

  @Override
  public void exchangeEnded(ExchangeRecord record) {
    if (closed || queued.incrementAndGet() > capacity) {
      if (!closed) {
        queued.decrementAndGet();
      }
      dropped.increment();
      return;
    }
    queue.offer(format.line(record));
    if (parked) {
      LockSupport.unpark(writer);
    }
  }

  /** Lines dropped: the queue was full, the log closed, or the writer could not write them. */
  public long dropped() {
    return dropped.sum();
  }

  /** Lines handed to the file or stdout. */
  public long written() {
    return written.sum();
  }

  private void run() {
    boolean unflushed = false;
    while (true) {
      String line = queue.poll();
      if (line != null) {
        queued.decrementAndGet();
        write(line);
        unflushed = true;
        continue;
      }
      if (unflushed) {
        flush();
        unflushed = false;
        continue; // lines may have come while flushing
      }
      if (closed) {
        break;
      }
      parked = true;
      if (queue.isEmpty() && !closed) {
        LockSupport.parkNanos(this, IDLE_PARK_NANOS);
      }
      parked = false;
    }
    try {
      sink.close();
    } catch (IOException e) {
      log.warn("closing the access log {} failed: {}", sink, e.toString());
    }
  }

  private void write(String line) {
    try {
      sink.write(line.getBytes(StandardCharsets.UTF_8));
      written.increment();
      failing = false;
    } catch (IOException e) {
      dropped.increment();
      if (!failing) {
        failing = true; // once per run of failures, not per line
        log.warn("cannot write the access log {}; dropping lines: {}", sink, e.toString());
      }
    }
  }

  private void flush() {
    try {
      sink.flush();
    } catch (IOException e) {
      if (!failing) {
        failing = true;
        log.warn("cannot flush the access log {}: {}", sink, e.toString());
      }
    }
  }

  /** Writes what is queued, closes the file and stops the writer (waiting up to 5 s for it). */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(writer);
    try {
      writer.join(CLOSE_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
