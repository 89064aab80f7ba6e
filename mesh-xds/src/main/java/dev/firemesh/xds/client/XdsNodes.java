package dev.firemesh.xds.client;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.firemesh.xds.translate.NodeIdentity;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Map;

/**
 * The Envoy {@link Node} a FireMesh client introduces itself with: id, cluster (the service) and
 * locality from its {@link NodeIdentity}, and the user agent that tells the control plane which
 * kind of client it is (a sidecar's ADS client, a chassis's RTDS feed).
 */
public final class XdsNodes {
  private XdsNodes() {}

  /** A node without metadata. */
  public static Node node(NodeIdentity identity, String userAgent) {
    return base(identity, userAgent).build();
  }

  /** A node whose metadata carries each entry of {@code metadata} as a string value. */
  public static Node node(NodeIdentity identity, Map<String, String> metadata, String userAgent) {
    Struct.Builder struct = Struct.newBuilder();
    metadata.forEach(
        (key, value) -> struct.putFields(key, Value.newBuilder().setStringValue(value).build()));
    return base(identity, userAgent).setMetadata(struct).build();
  }

  private static Node.Builder base(NodeIdentity identity, String userAgent) {
    return Node.newBuilder()
        .setId(identity.id())
        .setCluster(identity.cluster())
        .setLocality(
            Locality.newBuilder().setRegion(identity.region()).setZone(identity.zone()).build())
        .setUserAgentName(userAgent);
  }
}
