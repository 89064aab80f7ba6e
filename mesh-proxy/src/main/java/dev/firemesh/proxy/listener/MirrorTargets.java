package dev.firemesh.proxy.listener;

import dev.firemesh.proxy.forward.RoutedRequest;
import dev.firemesh.proxy.forward.Target;
import dev.firemesh.proxy.mirror.MirroredRequest;
import dev.firemesh.proxy.upstream.UpstreamAddress;
import dev.firemesh.proxy.upstream.UpstreamProtocol;
import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.route.RouteResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The router's mirror endpoints as connection targets, under the same protocol rule as the request
 * itself (HTTP/2 only from an HTTP/2 caller to an HTTP/2 cluster), attached to the routed request
 * for the {@link dev.firemesh.proxy.mirror.MirrorTap}.
 */
final class MirrorTargets {
  private MirrorTargets() {}

  static Object attach(
      RoutedRequest request,
      RouteResult.Routed routed,
      boolean callerSpeaksHttp2,
      UpstreamDefaults defaults) {
    if (routed.mirrors().isEmpty()) {
      return request;
    }
    List<Target> targets = new ArrayList<>(routed.mirrors().size());
    for (RouteResult.MirrorTarget mirror : routed.mirrors()) {
      ClusterConfig cluster = mirror.cluster();
      targets.add(
          new Target(
              new UpstreamAddress(
                  mirror.endpoint().address(),
                  mirror.endpoint().port(),
                  mirror.endpoint().identity(),
                  cluster.name()),
              callerSpeaksHttp2 && cluster.protocol() == ClusterConfig.Protocol.HTTP2
                  ? UpstreamProtocol.HTTP2
                  : UpstreamProtocol.HTTP1,
              defaults.connectTimeout(cluster.connectTimeout()),
              defaults.idleTimeout(cluster.idleTimeout()),
              Target.NO_LEASE));
    }
    return MirroredRequest.of(request, targets);
  }
}
