package dev.firemesh.proxy.tls;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Handshake counters, by side and result, and the caller side's failures by cluster. Event loops
 * add without locks; the admin listener reads {@link #snapshot()}.
 */
public final class TlsStats {
  /** Which end of the connection this sidecar was. */
  public enum Side {
    INBOUND,
    OUTBOUND;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static final HandshakeFailure[] FAILURES = HandshakeFailure.values();
  private static final String[] UPSTREAM_REASONS = {
    "wrong_identity", "untrusted", "expired", "handshake"
  };

  private final LongAdder[] ok = {new LongAdder(), new LongAdder()};
  private final LongAdder[][] failed = new LongAdder[2][FAILURES.length];
  private final Map<String, LongAdder[]> upstreamFailures = new ConcurrentHashMap<>();

  public TlsStats() {
    for (LongAdder[] row : failed) {
      for (int i = 0; i < row.length; i++) {
        row[i] = new LongAdder();
      }
    }
  }

  void succeeded(Side side) {
    ok[side.ordinal()].increment();
  }

  void failed(Side side, HandshakeFailure failure) {
    failed[side.ordinal()][failure.ordinal()].increment();
  }

  /** A connection to an endpoint of {@code cluster} was refused before any request went on it. */
  void upstreamFailed(String cluster, HandshakeFailure failure) {
    failed(Side.OUTBOUND, failure);
    LongAdder[] row =
        upstreamFailures.computeIfAbsent(
            cluster,
            c -> {
              LongAdder[] adders = new LongAdder[UPSTREAM_REASONS.length];
              for (int i = 0; i < adders.length; i++) {
                adders[i] = new LongAdder();
              }
              return adders;
            });
    String label = failure.upstreamLabel();
    for (int i = 0; i < UPSTREAM_REASONS.length; i++) {
      if (UPSTREAM_REASONS[i].equals(label)) {
        row[i].increment();
      }
    }
  }

  public long handshakes(Side side) {
    return ok[side.ordinal()].sum();
  }

  public long failures(Side side, HandshakeFailure failure) {
    return failed[side.ordinal()][failure.ordinal()].sum();
  }

  /**
   * The counters by {@code /stats} name: {@code tls.handshakes.<side>.ok} always, {@code
   * tls.handshakes.<side>.<reason>} once it happened, {@code
   * upstream.tls_failures.<cluster>.<reason>} for every cluster that had one.
   */
  public Map<String, Long> snapshot() {
    Map<String, Long> counters = new LinkedHashMap<>();
    for (Side side : Side.values()) {
      String prefix = "tls.handshakes." + side.label() + ".";
      counters.put(prefix + "ok", ok[side.ordinal()].sum());
      for (HandshakeFailure failure : FAILURES) {
        long count = failed[side.ordinal()][failure.ordinal()].sum();
        if (count > 0) {
          counters.put(prefix + failure.label(), count);
        }
      }
    }
    new TreeMap<>(upstreamFailures)
        .forEach(
            (cluster, row) -> {
              for (int i = 0; i < UPSTREAM_REASONS.length; i++) {
                counters.put(
                    "upstream.tls_failures." + cluster + "." + UPSTREAM_REASONS[i], row[i].sum());
              }
            });
    return counters;
  }
}
