package dev.firemesh.traffic.stats;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What happened to the requests sent to one cluster, counted without locks from every event loop:
 * answers by status class, failures without an answer, retries, timeouts, injected faults, and a
 * latency histogram with fixed bounds (Prometheus style, so sidecars' figures can be added up and
 * compared, as a canary analysis does between a new version's cluster and the stable one's). Lives
 * as long as the cluster, across configuration updates.
 */
public final class ClusterStats {

  /** Upper bounds of the latency buckets, in microseconds; a last bucket takes the rest. */
  private static final long[] BOUNDS_MICROS = {
    100,
    250,
    500,
    1_000,
    2_500,
    5_000,
    10_000,
    25_000,
    50_000,
    100_000,
    250_000,
    500_000,
    1_000_000,
    2_500_000,
    5_000_000,
    10_000_000
  };

  /** Why a try got no answer. */
  public enum Failure {
    CONNECT_FAILURE,
    RESET,
    TIMEOUT
  }

  /** Why the sidecar answered in place of the cluster. */
  public enum Local {
    /** The route's (or the caller's) deadline passed. */
    REQUEST_TIMEOUT,
    /** A retry was refused by the retry budget or max_retries. */
    RETRY_OVERFLOW,
    FAULT_ABORT,
    FAULT_DELAY
  }

  private final LongAdder[] byClass = newAdders(5);
  private final LongAdder[] failures = newAdders(Failure.values().length);
  private final LongAdder[] local = newAdders(Local.values().length);
  private final LongAdder retries = new LongAdder();
  private final LongAdder[] buckets = newAdders(BOUNDS_MICROS.length + 1);
  private final LongAdder latencySumMicros = new LongAdder();

  /** An answer from the cluster with {@code status}, {@code nanos} after the try was sent. */
  public void response(int status, long nanos) {
    int statusClass = status / 100;
    if (statusClass >= 1 && statusClass <= 5) {
      byClass[statusClass - 1].increment();
    }
    long micros = TimeUnit.NANOSECONDS.toMicros(Math.max(0, nanos));
    latencySumMicros.add(micros);
    buckets[bucket(micros)].increment();
  }

  public void failure(Failure failure) {
    failures[failure.ordinal()].increment();
  }

  public void answeredLocally(Local reason) {
    local[reason.ordinal()].increment();
  }

  public void retry() {
    retries.increment();
  }

  private static int bucket(long micros) {
    int low = 0;
    int high = BOUNDS_MICROS.length;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (micros <= BOUNDS_MICROS[mid]) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low;
  }

  /** Answers with a status of class {@code statusClass} (1 to 5: 1xx to 5xx). */
  public long responses(int statusClass) {
    return byClass[statusClass - 1].sum();
  }

  public long failures(Failure failure) {
    return failures[failure.ordinal()].sum();
  }

  public long localAnswers(Local reason) {
    return local[reason.ordinal()].sum();
  }

  public long retries() {
    return retries.sum();
  }

  /** The latency buckets' upper bounds in microseconds, without the last (unbounded) one. */
  public static long[] latencyBoundsMicros() {
    return BOUNDS_MICROS.clone();
  }

  /** Answers per latency bucket, not cumulative; one more entry than there are bounds. */
  public long[] latencyCounts() {
    long[] counts = new long[buckets.length];
    for (int i = 0; i < buckets.length; i++) {
      counts[i] = buckets[i].sum();
    }
    return counts;
  }

  public long latencySumMicros() {
    return latencySumMicros.sum();
  }

  private static LongAdder[] newAdders(int count) {
    LongAdder[] adders = new LongAdder[count];
    for (int i = 0; i < count; i++) {
      adders[i] = new LongAdder();
    }
    return adders;
  }
}
