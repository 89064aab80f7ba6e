package dev.firemesh.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.firemesh.xds.translate.NodeIdentity;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a node says of itself is kept for the control plane to use, within bounds. */
class NodeMetadataTest {

  private static Value text(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  @Test
  void keepsStringEntriesAndTheSidecarsAdminAddress() {
    Node node =
        Node.newBuilder()
            .setId("gateway-1")
            .setMetadata(
                Struct.newBuilder()
                    .putFields(NodeIdentity.ADMIN_ADDRESS_KEY, text("127.0.0.1:15000"))
                    .putFields("weight", Value.newBuilder().setNumberValue(3).build())
                    .putFields("huge", text("x".repeat(300))))
            .build();

    Map<String, String> kept = NodeTracker.stringMetadata(node);
    NodeRecord record = new NodeRecord("gateway-1", Instant.now());
    record.attach(1, Instant.now(), kept);

    assertThat(kept).containsOnly(Map.entry(NodeIdentity.ADMIN_ADDRESS_KEY, "127.0.0.1:15000"));
    assertThat(record.status().adminAddress()).contains("127.0.0.1:15000");
    assertThat(new NodeRecord("proxyless", Instant.now()).status().adminAddress()).isEmpty();
  }

  @Test
  void keepsAtMostSixteenEntries() {
    Struct.Builder metadata = Struct.newBuilder();
    for (int i = 0; i < 100; i++) {
      metadata.putFields("key-" + i, text("v"));
    }

    assertThat(NodeTracker.stringMetadata(Node.newBuilder().setMetadata(metadata).build()))
        .hasSize(16);
  }
}
