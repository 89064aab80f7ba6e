package dev.firemesh.bench;

import java.util.Locale;

/**
 * The outcome of a run. Every request scheduled in the measured window is accounted for exactly
 * once: {@code count + errors + unsent + unanswered == scheduled}, so overload shows up as numbers
 * rather than as requests that quietly never happened.
 *
 * @param target {@code host:port} the generator connected to
 * @param transport the socket implementation used (epoll or nio)
 * @param requestedRate the schedule, requests per second
 * @param achievedRate measured requests answered per second, from the window's start to the last
 *     answer
 * @param connections persistent connections used
 * @param scheduled requests whose intended send time fell in the measured window
 * @param count successful (2xx) responses, each recorded in {@code latencyMicros}
 * @param errors non-2xx responses, and requests lost with a broken connection or a reset stream
 * @param unsent requests still waiting to be sent when the drain period ran out (overload)
 * @param unanswered requests sent but not answered when the drain period ran out
 * @param delayedSends requests written more than 1 ms after their intended time (back-pressure)
 * @param maxSendLagMicros the longest wait between a request's intended and actual send time
 * @param latencyMicros from each request's intended send time to the end of its response: what a
 *     user arriving on schedule sees, stalls included
 * @param serviceTimeMicros from the actual write to the end of the response: what a closed-loop
 *     tool reports, shown to make coordinated omission visible, not to be quoted
 * @param protocol what the connections spoke: {@code http1} or {@code h2}
 * @param reconnects connections opened again after one was lost or closed by the server, over the
 *     whole run (warm-up included)
 */
public record LoadReport(
    String target,
    String transport,
    int requestedRate,
    double achievedRate,
    int connections,
    long scheduled,
    long count,
    long errors,
    long unsent,
    long unanswered,
    long delayedSends,
    long maxSendLagMicros,
    LatencySummary latencyMicros,
    LatencySummary serviceTimeMicros,
    String protocol,
    long reconnects) {

  /** A report of an HTTP/1.1 run without reconnects, as before those were reported. */
  public LoadReport(
      String target,
      String transport,
      int requestedRate,
      double achievedRate,
      int connections,
      long scheduled,
      long count,
      long errors,
      long unsent,
      long unanswered,
      long delayedSends,
      long maxSendLagMicros,
      LatencySummary latencyMicros,
      LatencySummary serviceTimeMicros) {
    this(
        target,
        transport,
        requestedRate,
        achievedRate,
        connections,
        scheduled,
        count,
        errors,
        unsent,
        unanswered,
        delayedSends,
        maxSendLagMicros,
        latencyMicros,
        serviceTimeMicros,
        Protocol.HTTP1.label(),
        0);
  }

  /** True when the target kept up: every scheduled request was sent and answered. */
  public boolean keptUp() {
    return unsent == 0 && unanswered == 0;
  }

  /** One line for a terminal. */
  public String summaryLine() {
    LatencySummary l = latencyMicros;
    return String.format(
        Locale.ROOT,
        "target=%s protocol=%s rate=%d/s achieved=%.1f/s count=%d errors=%d unsent=%d"
            + " unanswered=%d reconnects=%d p50=%dus p90=%dus p99=%dus p99.9=%dus max=%dus"
            + " (service p99=%dus)%s",
        target,
        protocol,
        requestedRate,
        achievedRate,
        count,
        errors,
        unsent,
        unanswered,
        reconnects,
        l.p50(),
        l.p90(),
        l.p99(),
        l.p999(),
        l.max(),
        serviceTimeMicros.p99(),
        keptUp() ? "" : " OVERLOADED");
  }
}
