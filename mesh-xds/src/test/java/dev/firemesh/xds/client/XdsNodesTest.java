package dev.firemesh.xds.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.xds.translate.NodeIdentity;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The node a client introduces itself with is what the control plane keys its state on. */
class XdsNodesTest {
  private static final NodeIdentity ORDERS =
      new NodeIdentity("orders-7f3c", "orders", "eu-west", "a");

  @Test
  void carriesTheIdentityAndTheUserAgent() {
    Node node = XdsNodes.node(ORDERS, "firemesh-chassis");

    assertThat(node.getId()).isEqualTo("orders-7f3c");
    assertThat(node.getCluster()).isEqualTo("orders");
    assertThat(node.getLocality().getRegion()).isEqualTo("eu-west");
    assertThat(node.getLocality().getZone()).isEqualTo("a");
    assertThat(node.getUserAgentName()).isEqualTo("firemesh-chassis");
    assertThat(node.hasMetadata()).isFalse();
  }

  @Test
  void carriesMetadataAsStringValues() {
    Node node =
        XdsNodes.node(ORDERS, Map.of(NodeIdentity.ADMIN_ADDRESS_KEY, "127.0.0.1:9901"), "firemesh");

    assertThat(node.getUserAgentName()).isEqualTo("firemesh");
    assertThat(node.getMetadata().getFieldsMap())
        .hasSize(1)
        .extractingByKey(NodeIdentity.ADMIN_ADDRESS_KEY)
        .satisfies(value -> assertThat(value.getStringValue()).isEqualTo("127.0.0.1:9901"));
  }
}
