package dev.firemesh.proxy.admin;

import dev.firemesh.proxy.stats.EventLoopLag.LagSummary;
import dev.firemesh.proxy.stats.Footprint;
import dev.firemesh.traffic.balance.ClusterState;
import dev.firemesh.traffic.circuit.CircuitBreaker;
import dev.firemesh.traffic.circuit.Limit;
import dev.firemesh.traffic.health.EjectionReason;
import dev.firemesh.traffic.route.ClusterRuntime;
import dev.firemesh.traffic.stats.ClusterStats;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sidecar's counters and footprint in Prometheus text exposition format 0.0.4, named the way
 * Micrometer's Prometheus registry would name them: prefix {@code firemesh_proxy_}, base units
 * (bytes, seconds), {@code _total} on counters, one {@code # HELP} and {@code # TYPE} per family.
 *
 * <p>Counters come from {@code /stats}'s names: the per-listener ones become labels ({@code
 * listener.outbound.responses.2xx} is {@code firemesh_proxy_responses_total{listener="outbound",
 * status_class="2xx"}}), and so do the rate limits' ({@code ratelimit.place-orders.limited} is
 * {@code firemesh_proxy_ratelimit_requests_total{rule="place-orders",result="limited"}}), and the
 * authorization decisions' ({@code authz.orders-from-gateway.deny} is {@code
 * firemesh_proxy_authz_decisions_total{policy="orders-from-gateway",decision="deny"}}); any other
 * name is its dots turned into underscores, so a counter added to the sidecar shows up here without
 * a change.
 *
 * <p>Endpoint health, per cluster that has outlier detection or an active health check (labels are
 * cluster names, never endpoints): ejections by reason, endpoints healthy and ejected, whether the
 * cluster is in panic, and health check results.
 */
final class PrometheusText {

  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final String PREFIX = "firemesh_proxy_";
  private static final Pattern LISTENER_COUNTER =
      Pattern.compile(
          "listener\\.([a-z0-9_]+)\\.(responses\\.([0-9]xx)|requests\\.aborted|bytes\\.in|bytes\\.out)");

  private static final Pattern RATE_LIMIT_COUNTER =
      Pattern.compile("ratelimit\\.([a-z0-9-]+)\\.(allowed|limited)");

  private static final Pattern AUTHZ_COUNTER =
      Pattern.compile("authz\\.([a-z0-9-]+)\\.(allow|deny|dry_run_deny)");

  private static final Pattern TLS_HANDSHAKE_COUNTER =
      Pattern.compile("tls\\.handshakes\\.(inbound|outbound)\\.([a-z_]+)");

  /** Cluster names may hold {@code |} (subsets); the reason is the last part. */
  private static final Pattern UPSTREAM_TLS_COUNTER =
      Pattern.compile(
          "upstream\\.tls_failures\\.(.+)\\.(wrong_identity|untrusted|expired|handshake)");

  private static final Pattern TLS_PROVIDER_GAUGE = Pattern.compile("tls\\.provider\\.([a-z]+)");

  private final StringBuilder out = new StringBuilder(4096);

  private PrometheusText() {}

  static String render(Map<String, Long> counters, Footprint footprint) {
    return render(counters, footprint, Map.of(), List.of(), List.of());
  }

  /**
   * @param clusters each cluster's breaker and counters by cluster name (the local app's under
   *     {@value #LOCAL_APP}); the label values are the configuration's cluster names, so their
   *     number is bounded by the configuration, never by traffic
   */
  static String render(
      Map<String, Long> counters, Footprint footprint, Map<String, ClusterRuntime> clusters) {
    return render(counters, footprint, clusters, List.of(), List.of());
  }

  /**
   * As above, with the endpoint health of {@code states} (clusters' live balancing state) and an
   * {@link AdminExtension}'s metrics last.
   */
  static String render(
      Map<String, Long> counters,
      Footprint footprint,
      Map<String, ClusterRuntime> clusters,
      List<ClusterState> states,
      List<AdminMetric> extra) {
    PrometheusText text = new PrometheusText();
    text.counters(counters);
    text.clusters(new TreeMap<>(clusters));
    text.endpointHealth(states);
    text.footprint(footprint);
    text.extra(extra);
    return text.out.toString();
  }

  private void extra(List<AdminMetric> metrics) {
    for (AdminMetric metric : metrics) {
      Matcher provider = TLS_PROVIDER_GAUGE.matcher(metric.name());
      if (provider.matches()) {
        // an info metric: which provider, as a label
        header("tls_provider", "gauge", metric.help());
        out.append(PREFIX)
            .append("tls_provider{provider=\"")
            .append(provider.group(1))
            .append("\"} ")
            .append(metric.value())
            .append('\n');
        continue;
      }
      String name = metric.name().replace('.', '_');
      switch (metric.kind()) {
        case COUNTER -> {
          header(name + "_total", "counter", metric.help());
          sample(name + "_total", metric.value());
        }
        case GAUGE -> gauge(name, metric.help(), metric.value());
      }
    }
  }

  /** The cluster label of the inbound side's local app. */
  static final String LOCAL_APP = "local_app";

  private void clusters(SortedMap<String, ClusterRuntime> clusters) {
    if (clusters.isEmpty()) {
      return;
    }
    header(
        "upstream_responses_total",
        "counter",
        "Answers from a cluster's endpoints, by status class, retried tries included.");
    clusters.forEach(
        (name, runtime) -> {
          for (int c = 1; c <= 5; c++) {
            labelled("upstream_responses_total", name, "status_class", c + "xx")
                .append(runtime.stats().responses(c))
                .append('\n');
          }
        });
    header(
        "upstream_failures_total",
        "counter",
        "Tries that got no answer: connect failure, reset, or per-try or request timeout.");
    clusters.forEach(
        (name, runtime) -> {
          for (ClusterStats.Failure failure : ClusterStats.Failure.values()) {
            labelled("upstream_failures_total", name, "reason", lower(failure.name()))
                .append(runtime.stats().failures(failure))
                .append('\n');
          }
        });
    header("upstream_retries_total", "counter", "Retries sent under a route's retry policy.");
    clusters.forEach(
        (name, runtime) ->
            labelled("upstream_retries_total", name, null, null)
                .append(runtime.stats().retries())
                .append('\n'));
    header(
        "upstream_local_total",
        "counter",
        "What the sidecar did in the cluster's place: request timeouts, retries refused by the"
            + " budget, injected aborts and delays.");
    clusters.forEach(
        (name, runtime) -> {
          for (ClusterStats.Local reason : ClusterStats.Local.values()) {
            labelled("upstream_local_total", name, "reason", lower(reason.name()))
                .append(runtime.stats().localAnswers(reason))
                .append('\n');
          }
        });
    header(
        "upstream_overflow_total",
        "counter",
        "Requests, connections and retries refused by a cluster's circuit breaker, by limit.");
    clusters.forEach(
        (name, runtime) -> {
          for (Limit limit : Limit.values()) {
            labelled("upstream_overflow_total", name, "limit", limit.wireName())
                .append(runtime.breaker().overflows(limit))
                .append('\n');
          }
        });
    String[][] gauges = {
      {"upstream_active_requests", "Requests in flight to a cluster."},
      {"upstream_pending_requests", "Requests waiting for a new connection to a cluster."},
      {"upstream_active_connections", "Open HTTP/1.1 connections to a cluster's endpoints."},
      {"upstream_active_retries", "Retries in flight to a cluster."}
    };
    for (int g = 0; g < gauges.length; g++) {
      header(gauges[g][0], "gauge", gauges[g][1]);
      int which = g;
      clusters.forEach(
          (name, runtime) -> {
            CircuitBreaker breaker = runtime.breaker();
            long value =
                switch (which) {
                  case 0 -> breaker.requests();
                  case 1 -> breaker.pendingRequests();
                  case 2 -> breaker.connections();
                  default -> breaker.retries();
                };
            labelled(gauges[which][0], name, null, null).append(value).append('\n');
          });
    }
    header(
        "upstream_request_duration_seconds",
        "histogram",
        "Time from sending a try to its answer's head, per cluster.");
    long[] bounds = ClusterStats.latencyBoundsMicros();
    clusters.forEach(
        (name, runtime) -> {
          long[] counts = runtime.stats().latencyCounts();
          long cumulative = 0;
          for (int i = 0; i < counts.length; i++) {
            cumulative += counts[i];
            String le = i < bounds.length ? seconds(bounds[i]) : "+Inf";
            labelled("upstream_request_duration_seconds_bucket", name, "le", le)
                .append(cumulative)
                .append('\n');
          }
          labelled("upstream_request_duration_seconds_sum", name, null, null)
              .append(seconds(runtime.stats().latencySumMicros()))
              .append('\n');
          labelled("upstream_request_duration_seconds_count", name, null, null)
              .append(cumulative)
              .append('\n');
        });
  }

  /** {@code name{cluster="...",key="value"} } ready for the value. */
  private StringBuilder labelled(String name, String cluster, String key, String value) {
    out.append(PREFIX).append(name).append("{cluster=\"").append(cluster).append('"');
    if (key != null) {
      out.append(',').append(key).append("=\"").append(value).append('"');
    }
    return out.append("} ");
  }

  private void endpointHealth(List<ClusterState> all) {
    List<ClusterState> clusters =
        all.stream()
            .filter(
                c -> c.config().outlierDetection().enabled() || c.config().healthCheck().enabled())
            .sorted(java.util.Comparator.comparing(c -> c.config().name()))
            .toList();
    if (clusters.isEmpty()) {
      return;
    }
    header(
        "upstream_ejections_total",
        "counter",
        "Endpoints ejected by outlier detection, by cluster and reason.");
    for (ClusterState c : clusters) {
      for (EjectionReason reason : EjectionReason.values()) {
        healthSample(
            "upstream_ejections_total",
            c,
            ",reason=\"" + reason.label() + "\"",
            c.health().ejections(reason));
      }
    }
    header(
        "upstream_endpoints_healthy",
        "gauge",
        "Endpoints neither ejected nor failing their active health check, by cluster.");
    for (ClusterState c : clusters) {
      healthSample("upstream_endpoints_healthy", c, "", c.health().healthyCount());
    }
    header("upstream_endpoints_ejected", "gauge", "Endpoints ejected now, by cluster.");
    for (ClusterState c : clusters) {
      healthSample("upstream_endpoints_ejected", c, "", c.health().ejectedCount());
    }
    header(
        "upstream_panic",
        "gauge",
        "1 while a cluster balances over unhealthy endpoints for want of healthy ones.");
    for (ClusterState c : clusters) {
      healthSample("upstream_panic", c, "", c.panic() ? 1 : 0);
    }
    header("health_checks_total", "counter", "Active health checks by cluster and result.");
    for (ClusterState c : clusters) {
      healthSample("health_checks_total", c, ",result=\"passed\"", c.health().checksPassed());
      healthSample("health_checks_total", c, ",result=\"failed\"", c.health().checksFailed());
    }
  }

  private void healthSample(String name, ClusterState cluster, String moreLabels, long value) {
    out.append(PREFIX)
        .append(name)
        .append("{cluster=\"")
        .append(escape(cluster.config().name()))
        .append('"')
        .append(moreLabels)
        .append("} ")
        .append(value)
        .append('\n');
  }

  private static String escape(String label) {
    return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static String lower(String constant) {
    return constant.toLowerCase(Locale.ROOT);
  }

  private void counters(Map<String, Long> counters) {
    boolean[] headed = new boolean[4];
    // Labelled families first, each family's samples together, as the format asks.
    String[][] families = {
      {"responses_total", "Responses sent to callers of a listener, by status class."},
      {"requests_aborted_total", "Requests that ended without any response to the caller."},
      {"received_bytes_total", "Bytes received from callers of a listener."},
      {"sent_bytes_total", "Bytes sent to callers of a listener."}
    };
    for (int family = 0; family < families.length; family++) {
      for (Map.Entry<String, Long> e : counters.entrySet()) {
        Matcher m = LISTENER_COUNTER.matcher(e.getKey());
        if (!m.matches() || familyOf(m) != family) {
          continue;
        }
        if (!headed[family]) {
          header(families[family][0], "counter", families[family][1]);
          headed[family] = true;
        }
        out.append(PREFIX).append(families[family][0]).append("{listener=\"").append(m.group(1));
        if (m.group(3) != null) {
          out.append("\",status_class=\"").append(m.group(3));
        }
        out.append("\"} ").append(e.getValue()).append('\n');
      }
    }
    labelled(
        counters,
        RATE_LIMIT_COUNTER,
        "ratelimit_requests_total",
        "Requests a local rate limit rule matched, by rule and whether it let them through.",
        "rule",
        "result");
    labelled(
        counters,
        TLS_HANDSHAKE_COUNTER,
        "tls_handshakes_total",
        "mTLS handshakes between sidecars by side and result: ok or why it failed.",
        "side",
        "result");
    labelled(
        counters,
        UPSTREAM_TLS_COUNTER,
        "upstream_tls_failures_total",
        "Connections to a cluster's endpoints refused at mTLS, by reason; each is a connect failure.",
        "cluster",
        "reason");
    labelled(
        counters,
        AUTHZ_COUNTER,
        "authz_decisions_total",
        "Authorization decisions at the inbound listener, by the policy that made them"
            + " (default: none did) and decision (allow, deny, dry_run_deny).",
        "policy",
        "decision");
    for (Map.Entry<String, Long> e : counters.entrySet()) {
      String name = e.getKey();
      if (LISTENER_COUNTER.matcher(name).matches()
          || RATE_LIMIT_COUNTER.matcher(name).matches()
          || AUTHZ_COUNTER.matcher(name).matches()
          || TLS_HANDSHAKE_COUNTER.matcher(name).matches()
          || UPSTREAM_TLS_COUNTER.matcher(name).matches()) {
        continue;
      }
      String base = name.replaceAll("[^a-zA-Z0-9]", "_").toLowerCase(Locale.ROOT);
      if (name.endsWith(".max")) {
        // a high-water mark, not a count
        String gauge =
            base.endsWith("_bytes_max")
                ? base.substring(0, base.length() - "_bytes_max".length()) + "_max_bytes"
                : base;
        header(gauge, "gauge", "The highest value of " + name + " since the start.");
        sample(gauge, e.getValue());
      } else {
        header(base + "_total", "counter", "The sidecar's " + name + " counter.");
        sample(base + "_total", e.getValue());
      }
    }
  }

  /** One counter family whose two labels are the two groups of {@code pattern}. */
  private void labelled(
      Map<String, Long> counters,
      Pattern pattern,
      String family,
      String help,
      String firstLabel,
      String secondLabel) {
    boolean headed = false;
    for (Map.Entry<String, Long> e : counters.entrySet()) {
      Matcher m = pattern.matcher(e.getKey());
      if (!m.matches()) {
        continue;
      }
      if (!headed) {
        header(family, "counter", help);
        headed = true;
      }
      out.append(PREFIX)
          .append(family)
          .append('{')
          .append(firstLabel)
          .append("=\"")
          .append(m.group(1))
          .append("\",")
          .append(secondLabel)
          .append("=\"")
          .append(m.group(2))
          .append("\"} ")
          .append(e.getValue())
          .append('\n');
    }
  }

  private static int familyOf(Matcher m) {
    return switch (m.group(2)) {
      case "requests.aborted" -> 1;
      case "bytes.in" -> 2;
      case "bytes.out" -> 3;
      default -> 0;
    };
  }

  private void footprint(Footprint f) {
    gauge("heap_used_bytes", "Java heap in use.", f.heapUsedBytes());
    gauge("heap_committed_bytes", "Java heap committed by the JVM.", f.heapCommittedBytes());
    gauge("heap_max_bytes", "The largest the Java heap may grow (-Xmx).", f.heapMaxBytes());
    gauge(
        "nonheap_used_bytes",
        "JVM memory outside the heap in use: metaspace, code cache.",
        f.nonHeapUsedBytes());
    f.residentBytes()
        .ifPresent(
            v ->
                gauge(
                    "resident_memory_bytes",
                    "Resident set size (VmRSS), shared pages included.",
                    v));
    f.residentPrivateBytes()
        .ifPresent(
            v ->
                gauge(
                    "resident_private_memory_bytes",
                    "Resident pages no other process shares (smaps_rollup Private_*).",
                    v));
    gauge(
        "direct_memory_used_bytes",
        "Direct byte buffers of the JVM, Netty's pools and gRPC's included.",
        f.directBufferBytes());
    header("buffer_pool_used_bytes", "gauge", "Memory in use from the sidecar's pooled allocator.");
    out.append(PREFIX)
        .append("buffer_pool_used_bytes{kind=\"direct\"} ")
        .append(f.pooledDirectBytes())
        .append('\n');
    out.append(PREFIX)
        .append("buffer_pool_used_bytes{kind=\"heap\"} ")
        .append(f.pooledHeapBytes())
        .append('\n');
    header(
        "gc_collections_total", "counter", "Garbage collections since the start, all collectors.");
    sample("gc_collections_total", f.gcCollections());
    header(
        "gc_pause_seconds_total", "counter", "Time spent in garbage collection since the start.");
    sample("gc_pause_seconds_total", seconds(f.gcPauseMillis() * 1_000));
    gauge("threads", "Live threads of the process.", f.threads());
    header("uptime_seconds", "gauge", "Time since the JVM started.");
    sample("uptime_seconds", seconds(f.uptimeMillis() * 1_000));

    LagSummary lag = f.eventLoopLag();
    header(
        "event_loop_lag_seconds",
        "summary",
        "How late event loops run a task due at a given time; quantile over the last minute.");
    out.append(PREFIX)
        .append("event_loop_lag_seconds{quantile=\"0.99\"} ")
        .append(seconds(lag.p99Micros()))
        .append('\n');
    sample("event_loop_lag_seconds_sum", seconds(lag.sumMicros()));
    sample("event_loop_lag_seconds_count", lag.ticks());
    header(
        "event_loop_lag_max_seconds", "gauge", "The largest event-loop lag over the last minute.");
    sample("event_loop_lag_max_seconds", seconds(lag.maxMicros()));
  }

  private void gauge(String name, String help, long value) {
    header(name, "gauge", help);
    sample(name, value);
  }

  private void header(String name, String type, String help) {
    out.append("# HELP ").append(PREFIX).append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(PREFIX).append(name).append(' ').append(type).append('\n');
  }

  private void sample(String name, long value) {
    out.append(PREFIX).append(name).append(' ').append(value).append('\n');
  }

  private void sample(String name, String value) {
    out.append(PREFIX).append(name).append(' ').append(value).append('\n');
  }

  /** Microseconds as seconds, exactly (no floating-point rounding on the way). */
  private static String seconds(long micros) {
    return java.math.BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString();
  }
}
