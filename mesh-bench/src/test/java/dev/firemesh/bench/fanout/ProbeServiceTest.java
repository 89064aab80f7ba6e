package dev.firemesh.bench.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProbeServiceTest {
  private final ProbeService probe = new ProbeService("fanout-probe");

  @Test
  void theDocumentNamesTheServiceAndItsPort() {
    assertThat(probe.yaml(20017))
        .contains("kind: Service")
        .contains("name: fanout-probe")
        .contains("ports: [{name: http, port: 20017, protocol: http1}]");
  }

  @Test
  void aClusterWithoutThePortsMetadataHasNoPort() {
    assertThat(probe.port(Map.of())).isEmpty();
    assertThat(probe.port(Map.of("fanout-probe", Cluster.newBuilder().setName("x").build())))
        .isEmpty();
  }

  @Test
  void refusesWhatTheControlPlaneWould() {
    assertThatThrownBy(() -> new ProbeService("Fanout_Probe"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> probe.yaml(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
