package dev.firemesh.xds.client;

import static dev.firemesh.xds.client.ProtoFields.at;

import dev.firemesh.traffic.config.HeaderMatcher;
import dev.firemesh.traffic.config.RouteAction;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Envoy's HTTP fault filter config (on the listener, or per route) as a {@link RouteAction.Fault}.
 */
final class FaultDecoder {
  // The *_runtime fields name runtime keys that override the values given here; there is no
  // runtime in FireMesh, so the values given here apply, as they do in Envoy without overrides.
  private static final Set<String> HTTP_FAULT =
      Set.of(
          "delay",
          "abort",
          "headers",
          "delay_percent_runtime",
          "abort_percent_runtime",
          "delay_duration_runtime",
          "abort_http_status_runtime",
          "abort_grpc_status_runtime",
          "max_active_faults_runtime",
          "response_rate_limit_percent_runtime",
          "disable_downstream_cluster_stats",
          "filter_metadata");

  private FaultDecoder() {}

  static RouteAction.Fault fault(HTTPFault fault, String path) throws FieldProblem {
    ProtoFields.only(fault, path, HTTP_FAULT);
    double delayPercent = 0;
    Duration delay = Duration.ZERO;
    if (fault.hasDelay()) {
      String delayPath = at(path, "delay");
      FaultDelay faultDelay = fault.getDelay();
      ProtoFields.only(faultDelay, delayPath, Set.of("fixed_delay", "percentage", "type"));
      if (!faultDelay.hasFixedDelay()) {
        throw new FieldProblem(at(delayPath, "fixed_delay"), "required");
      }
      delay = ProtoFields.duration(faultDelay.getFixedDelay(), at(delayPath, "fixed_delay"));
      delayPercent = ProtoFields.percent(faultDelay.getPercentage(), at(delayPath, "percentage"));
    }
    double abortPercent = 0;
    int httpStatus = 0;
    int grpcStatus = 0;
    if (fault.hasAbort()) {
      String abortPath = at(path, "abort");
      FaultAbort abort = fault.getAbort();
      ProtoFields.only(abort, abortPath, Set.of("http_status", "grpc_status", "percentage"));
      switch (abort.getErrorTypeCase()) {
        case HTTP_STATUS -> {
          httpStatus = abort.getHttpStatus();
          if (httpStatus < 200 || httpStatus > 599) {
            throw new FieldProblem(at(abortPath, "http_status"), "not in 200-599: " + httpStatus);
          }
        }
        case GRPC_STATUS -> {
          grpcStatus = abort.getGrpcStatus();
          if (grpcStatus < 1 || grpcStatus > 16) {
            throw new FieldProblem(at(abortPath, "grpc_status"), "not in 1-16: " + grpcStatus);
          }
        }
        default -> throw new FieldProblem(abortPath, "needs http_status or grpc_status");
      }
      abortPercent = ProtoFields.percent(abort.getPercentage(), at(abortPath, "percentage"));
    }
    List<HeaderMatcher> headers = new ArrayList<>();
    for (int i = 0; i < fault.getHeadersCount(); i++) {
      headers.add(MatchDecoder.header(fault.getHeaders(i), at(path, "headers", i)));
    }
    return new RouteAction.Fault(
        delayPercent, delay, abortPercent, httpStatus, grpcStatus, headers);
  }
}
