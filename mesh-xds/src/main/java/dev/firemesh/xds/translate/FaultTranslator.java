package dev.firemesh.xds.translate;

import dev.firemesh.api.resource.Route;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;

/** A rule's fault injection as the per-route config of Envoy's (and grpc-java's) fault filter. */
final class FaultTranslator {
  private FaultTranslator() {}

  static HTTPFault fault(Route.Fault fault) {
    HTTPFault.Builder http = HTTPFault.newBuilder();
    Route.Fault.Delay delay = fault.delay();
    if (delay.percent() > 0) {
      http.setDelay(
          FaultDelay.newBuilder()
              .setFixedDelay(ProtoDurations.of(delay.duration()))
              .setPercentage(Percentages.of(delay.percent())));
    }
    Route.Fault.Abort abort = fault.abort();
    if (abort.percent() > 0) {
      FaultAbort.Builder faultAbort =
          FaultAbort.newBuilder().setPercentage(Percentages.of(abort.percent()));
      // A gRPC status, when given, is what gRPC callers (proxyless or through a sidecar) see.
      if (abort.grpcStatus() != 0) {
        faultAbort.setGrpcStatus(abort.grpcStatus());
      } else {
        faultAbort.setHttpStatus(abort.httpStatus());
      }
      http.setAbort(faultAbort);
    }
    for (Route.HeaderMatch header : fault.headers()) {
      http.addHeaders(RouteMatchTranslator.header(header.name(), header.value(), header.invert()));
    }
    return http.build();
  }
}
