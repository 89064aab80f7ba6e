package dev.firemesh.bench.fanout;

import java.util.List;
import java.util.Locale;

/**
 * What one fleet size measured. Delays are in microseconds, from the moment the apply call returned
 * success ({@code afterReturn}; what an operator sees) or was sent ({@code afterSend}), to the
 * moment a sidecar held a whole configuration with the change and had written its ACK.
 *
 * @param clients simulated sidecars, each an ADS stream with a node of its own
 * @param channels HTTP/2 connections they shared
 * @param applies changes applied
 * @param appliesReachingAll applies that every sidecar received within the timeout
 * @param missed sidecar samples that never came (a sidecar that did not get an apply in time)
 * @param beforeReturn samples that arrived before the apply call returned (recorded as 0 after the
 *     return): the push can overtake the HTTP answer
 * @param lostStreams ADS streams that ended during the run
 * @param nacks NACKs the sidecars sent (none expected)
 * @param knownNodes xDS nodes the control plane knew once the fleet had connected: the fleet, other
 *     clients, and nodes disconnected in the last few minutes (the control plane keeps updating
 *     their snapshots, so they add to every push); -1 if it could not be read
 * @param connectMillis from opening every stream to every sidecar holding its first whole
 *     configuration
 * @param firstClientAfterReturn per apply: until the first sidecar had it, from the call's return
 *     (the fixed part: store notification, reload, translation); the distance to the last is the
 *     fan-out itself
 * @param lastClientAfterReturn per apply: until the last sidecar had it, from the call's return
 * @param lastClientAfterSend per apply: until the last sidecar had it, from the call's send
 * @param eachClientAfterReturn per apply and sidecar: until that sidecar had it, from the return
 * @param eachClientAfterSend per apply and sidecar: until that sidecar had it, from the send
 * @param applyCall the apply call's own round trip
 * @param problems what went wrong, in words (empty when every apply reached every sidecar)
 */
public record FanoutResult(
    int clients,
    int channels,
    int applies,
    int appliesReachingAll,
    long missed,
    long beforeReturn,
    int lostStreams,
    long nacks,
    int knownNodes,
    long connectMillis,
    DelaySummary firstClientAfterReturn,
    DelaySummary lastClientAfterReturn,
    DelaySummary lastClientAfterSend,
    DelaySummary eachClientAfterReturn,
    DelaySummary eachClientAfterSend,
    DelaySummary applyCall,
    List<String> problems) {

  public FanoutResult {
    problems = List.copyOf(problems);
  }

  /** True when every apply reached every sidecar and no stream was lost. */
  public boolean complete() {
    // A round whose sidecars never all connected applies nothing: its problems say so.
    return appliesReachingAll == applies && missed == 0 && lostStreams == 0 && problems.isEmpty();
  }

  /** One line for a terminal. */
  public String summaryLine() {
    return String.format(
        Locale.ROOT,
        "clients=%d knownNodes=%d channels=%d applies=%d reachedAll=%d missed=%d lost=%d"
            + " nacks=%d connect=%dms"
            + " first(after return) p50=%s last(after return) p50=%s p99=%s max=%s"
            + " each(after return) p50=%s p99=%s max=%s"
            + " last(after send) p50=%s p99=%s apply-call p50=%s%s",
        clients,
        knownNodes,
        channels,
        applies,
        appliesReachingAll,
        missed,
        lostStreams,
        nacks,
        connectMillis,
        DelaySummary.ms(firstClientAfterReturn.p50()),
        DelaySummary.ms(lastClientAfterReturn.p50()),
        DelaySummary.ms(lastClientAfterReturn.p99()),
        DelaySummary.ms(lastClientAfterReturn.max()),
        DelaySummary.ms(eachClientAfterReturn.p50()),
        DelaySummary.ms(eachClientAfterReturn.p99()),
        DelaySummary.ms(eachClientAfterReturn.max()),
        DelaySummary.ms(lastClientAfterSend.p50()),
        DelaySummary.ms(lastClientAfterSend.p99()),
        DelaySummary.ms(applyCall.p50()),
        complete() ? "" : " INCOMPLETE");
  }

  /** The header of {@link #markdownRow()}'s table. */
  public static String markdownHeader() {
    return "| clients | applies | last client has it, after apply returned (p50 / p99 / max) "
        + "| each client has it (p50 / p99 / max) | first client p50 | last client, after apply"
        + " was sent (p50 / p99 / max) | apply call p50 | reached all |\n"
        + "| --- | --- | --- | --- | --- | --- | --- | --- |";
  }

  public String markdownRow() {
    return String.format(
        Locale.ROOT,
        "| %,d | %d | %s | %s | %s | %s | %s | %d/%d |",
        clients,
        applies,
        lastClientAfterReturn.millis(),
        eachClientAfterReturn.millis(),
        DelaySummary.ms(firstClientAfterReturn.p50()),
        lastClientAfterSend.millis(),
        DelaySummary.ms(applyCall.p50()),
        appliesReachingAll,
        applies);
  }
}
