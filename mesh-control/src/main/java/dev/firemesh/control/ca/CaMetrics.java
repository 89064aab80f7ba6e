package dev.firemesh.control.ca;

import dev.firemesh.store.ca.CaCertificate;
import dev.firemesh.store.ca.CaRotation;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The CA's counters, per replica, and their Prometheus text: SVIDs issued by how, refusals by
 * reason, the seconds each CA certificate has left (labelled with its state, so a rotation's new
 * and old certificates are told apart), and the stage of a rotation under way. Labels are few and
 * fixed (via, reason, role, serial of a handful of CA certificates): never a workload identity.
 */
public final class CaMetrics {
  private final Map<String, LongAdder> issued = new ConcurrentSkipListMap<>();
  private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();

  public CaMetrics() {
    issued.put("join-token", new LongAdder());
    issued.put("renewal", new LongAdder());
  }

  void issued(String via) {
    issued.computeIfAbsent(via, v -> new LongAdder()).increment();
  }

  void refused(String reason) {
    refused.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  public long issuedCount(String via) {
    LongAdder count = issued.get(via);
    return count == null ? 0 : count.sum();
  }

  public long refusedCount(String reason) {
    LongAdder count = refused.get(reason);
    return count == null ? 0 : count.sum();
  }

  /** Prometheus text exposition format 0.0.4. */
  public String exposition(
      List<CaCertificate> certificates, Optional<CaRotation> rotation, Instant now) {
    StringBuilder out = new StringBuilder();
    out.append(
        "# HELP firemesh_ca_rotation_stage 1 for the stage the CA rotation is in (none: no"
            + " rotation under way).\n");
    out.append("# TYPE firemesh_ca_rotation_stage gauge\n");
    String stage = rotation.map(r -> r.stage().text()).orElse("none");
    for (String s : List.of("none", "prepared", "activated")) {
      out.append("firemesh_ca_rotation_stage{stage=\"")
          .append(s)
          .append("\"} ")
          .append(s.equals(stage) ? 1 : 0)
          .append('\n');
    }
    out.append(
        "# HELP firemesh_ca_certificate_expiry_seconds Seconds until a CA certificate expires"
            + " (negative: expired).\n");
    out.append("# TYPE firemesh_ca_certificate_expiry_seconds gauge\n");
    for (CaCertificate c : certificates) {
      if (c.state() == CaCertificate.State.RETIRED) {
        continue;
      }
      out.append("firemesh_ca_certificate_expiry_seconds{role=\"")
          .append(c.role().name().toLowerCase(Locale.ROOT))
          .append("\",serial=\"")
          .append(c.serial())
          .append("\",state=\"")
          .append(c.state().name().toLowerCase(Locale.ROOT))
          .append("\"} ")
          .append(c.notAfter().getEpochSecond() - now.getEpochSecond())
          .append('\n');
    }
    out.append("# HELP firemesh_ca_svids_issued_total SVIDs signed by this replica, by how.\n");
    out.append("# TYPE firemesh_ca_svids_issued_total counter\n");
    issued.forEach(
        (via, count) ->
            out.append("firemesh_ca_svids_issued_total{via=\"")
                .append(via)
                .append("\"} ")
                .append(count.sum())
                .append('\n'));
    out.append(
        "# HELP firemesh_ca_svid_refusals_total SVID requests this replica refused, by reason.\n");
    out.append("# TYPE firemesh_ca_svid_refusals_total counter\n");
    new TreeMap<>(refused)
        .forEach(
            (reason, count) ->
                out.append("firemesh_ca_svid_refusals_total{reason=\"")
                    .append(reason)
                    .append("\"} ")
                    .append(count.sum())
                    .append('\n'));
    return out.toString();
  }
}
