package dev.firemesh.xds.server;

import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Answers a state-of-the-world Listener or Cluster request with the resources that exist, even if
 * some requested names do not.
 *
 * <p>In ADS mode java-control-plane's cache answers a request only once every name in it exists.
 * grpc-java asks for all its listeners in one request, so a client that dials one service FireMesh
 * does not know yet would get no Listener at all, for any service, until that one appears. For
 * Listeners and Clusters the xDS protocol says a name missing from a response does not exist, which
 * is the truth; the client fails calls to that service alone, and the name's arrival changes the
 * version (see {@link dev.firemesh.xds.translate.ResourceSet#version(java.util.Collection)}) so it
 * is sent when it appears. Routes and endpoints keep the cache's rule: for them a missing name
 * means nothing to the client, and waiting keeps a cluster's endpoints from racing its definition.
 */
final class FullStateAnswers implements ConfigWatcher {
  private final ConfigWatcher cache;

  FullStateAnswers(ConfigWatcher cache) {
    this.cache = cache;
  }

  @Override
  public Watch createWatch(
      boolean ads,
      XdsRequest request,
      Set<String> knownResourceNames,
      Consumer<Response> responseConsumer,
      boolean hasClusterChanged,
      boolean allowDefaultEmptyEdsUpdate) {
    ResourceType type = request.getResourceType();
    // The cache's "ads" flag does nothing but turn on the all-names-exist rule.
    boolean waitForAllNames = ads && type != ResourceType.LISTENER && type != ResourceType.CLUSTER;
    return cache.createWatch(
        waitForAllNames,
        request,
        knownResourceNames,
        responseConsumer,
        hasClusterChanged,
        allowDefaultEmptyEdsUpdate);
  }

  @Override
  public DeltaWatch createDeltaWatch(
      DeltaXdsRequest request,
      String requesterVersion,
      Map<String, String> resourceVersions,
      Set<String> pendingResources,
      boolean isWildcard,
      Consumer<DeltaResponse> responseConsumer,
      boolean hasClusterChanged) {
    return cache.createDeltaWatch(
        request,
        requesterVersion,
        resourceVersions,
        pendingResources,
        isWildcard,
        responseConsumer,
        hasClusterChanged);
  }
}
