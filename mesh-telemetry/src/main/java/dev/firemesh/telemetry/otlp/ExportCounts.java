package dev.firemesh.telemetry.otlp;

/**
 * What an exporter did with the spans offered to it, since it started; monotonic counters, so the
 * sidecar can expose them as metrics as they are.
 *
 * @param exported spans the endpoint accepted
 * @param dropped spans never sent: the queue was full, or the exporter was closed (or closing past
 *     its bound)
 * @param failed spans sent but not accepted: a non-retryable answer, retries exhausted, or rejected
 *     by the endpoint in a partial success
 * @param pending spans waiting now, queued or in a batch being sent (a gauge, not a counter)
 */
public record ExportCounts(long exported, long dropped, long failed, int pending) {
  public static final ExportCounts ZERO = new ExportCounts(0, 0, 0, 0);

  public ExportCounts plus(ExportCounts other) {
    return new ExportCounts(
        exported + other.exported,
        dropped + other.dropped,
        failed + other.failed,
        pending + other.pending);
  }
}
