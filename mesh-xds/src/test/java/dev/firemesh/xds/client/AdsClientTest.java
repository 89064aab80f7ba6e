package dev.firemesh.xds.client;

import static dev.firemesh.xds.translate.Meshes.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.firemesh.api.registry.ServiceInstance;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.Endpoint;
import dev.firemesh.traffic.config.RouteAction;
import dev.firemesh.xds.server.Nack;
import dev.firemesh.xds.server.NodeStatus;
import dev.firemesh.xds.server.XdsServer;
import dev.firemesh.xds.translate.MeshState;
import dev.firemesh.xds.translate.NodeIdentity;
import dev.firemesh.xds.translate.XdsType;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The client against the real ADS server of this module, serving translated mesh state. */
class AdsClientTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private XdsServer xds;
  private AdsClient client;
  private String nodeId;
  private final List<DataPlaneConfig> published = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start(TestInfo test) {
    xds = XdsServer.start(new InetSocketAddress("127.0.0.1", 0));
    nodeId = "sidecar-" + test.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (xds != null) {
      xds.close();
    }
  }

  /** A node in the trading mesh's region but no zone: every instance is equally near. */
  private AdsClient connect(int port) {
    return connect(port, "");
  }

  private AdsClient connect(int port, String zone) {
    return AdsClient.builder()
        .server("127.0.0.1", port)
        .node(new NodeIdentity(nodeId, "web", "eu-west", zone))
        .metadata("firemesh.version", "test")
        .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
        .onConfig(published::add)
        .start();
  }

  private DataPlaneConfig awaitConfig(int count) {
    await().atMost(WAIT).until(() -> published.size() >= count);
    return published.get(count - 1);
  }

  private boolean allInSync(XdsServer server) {
    return server
        .node(nodeId)
        .map(
            status ->
                status.connected()
                    && List.of(XdsType.values()).stream()
                        .allMatch(type -> status.type(type).inSync()))
        .orElse(false);
  }

  @Test
  void aServedMeshArrivesAsOneDecodedConfig() {
    xds.update(TradingMesh.state());
    client = connect(xds.port());

    DataPlaneConfig config = awaitConfig(1);
    TradingMesh.check(config);
    assertThat(config.version())
        .startsWith("lds=")
        .contains(" rds=")
        .contains(" cds=")
        .contains(" eds=");

    // Every type is acknowledged with the version it came with, and nothing more is published.
    await().atMost(WAIT).until(() -> allInSync(xds));
    NodeStatus node = xds.node(nodeId).orElseThrow();
    for (XdsType type : XdsType.values()) {
      assertThat(node.type(type).lastNack()).as("NACKs of %s", type).isEmpty();
    }
    assertThat(published).hasSize(1);
    AdsStatus status = client.status();
    assertThat(status.connected()).isTrue();
    assertThat(status.server()).isEqualTo("127.0.0.1:" + xds.port());
    assertThat(status.configVersion()).isEqualTo(config.version());
    assertThat(status.lastRejection()).isEmpty();
    assertThat(client.config()).contains(config);
  }

  @Test
  void aNodeInZoneAGetsItsZonesInstancesAtPriorityZero() {
    xds.update(TradingMesh.state());
    client = connect(xds.port(), "a");

    DataPlaneConfig config = awaitConfig(1);
    assertThat(config.cluster("orders").orElseThrow().endpoints())
        .extracting(Endpoint::zone, Endpoint::priority)
        .containsOnly(tuple("a", 0), tuple("b", 1));
  }

  @Test
  void aNewInstanceAndChangedWeightsArriveAsANewConfig() {
    xds.update(TradingMesh.state());
    client = connect(xds.port());
    DataPlaneConfig first = awaitConfig(1);

    ServiceInstance orders5 = instance("orders", "orders-5", 7005, "v2", "b");
    xds.update(TradingMesh.state(50, 50, "acc-[0-9]+", List.of(orders5)));

    await()
        .atMost(WAIT)
        .until(
            () -> {
              DataPlaneConfig latest = published.getLast();
              return latest.cluster("orders|v2").orElseThrow().endpoints().size() == 2
                  && latest
                      .service("orders")
                      .orElseThrow()
                      .routes()
                      .getFirst()
                      .forward()
                      .orElseThrow()
                      .clusters()
                      .contains(new RouteAction.WeightedCluster("orders|v1", 50));
            });
    DataPlaneConfig latest = published.getLast();
    assertThat(latest.version()).isNotEqualTo(first.version());
    assertThat(
            latest
                .service("orders")
                .orElseThrow()
                .routes()
                .getFirst()
                .forward()
                .orElseThrow()
                .clusters())
        .containsExactly(
            new RouteAction.WeightedCluster("orders|v1", 50),
            new RouteAction.WeightedCluster("orders|v2", 50));
    assertThat(latest.cluster("orders|v2").orElseThrow().endpoints())
        .containsExactlyInAnyOrder(
            TradingMesh.endpoint(7003, "a"), new Endpoint("127.0.0.1", 7005, "eu-west", "b", 1));
    assertThat(latest.cluster("orders").orElseThrow().endpoints()).hasSize(5);
    // Untouched parts are unchanged.
    assertThat(latest.cluster("web")).isEqualTo(first.cluster("web"));
    assertThat(latest.service("ledger")).isEqualTo(first.service("ledger"));
    assertThat(client.status().configVersion()).isEqualTo(latest.version());
  }

  @Test
  void aRouteTheDecoderRefusesIsNackedAndThePreviousConfigStaysInForce() {
    xds.update(TradingMesh.state());
    client = connect(xds.port());
    DataPlaneConfig good = awaitConfig(1);
    await().atMost(WAIT).until(() -> allInSync(xds));

    // Lookahead is Java syntax, not RE2: the translator passes it through, the client refuses it.
    xds.update(TradingMesh.state(80, 20, "(?=acc)acc-[0-9]+", List.of()));

    await()
        .atMost(WAIT)
        .until(() -> xds.node(nodeId).orElseThrow().type(XdsType.ROUTE).lastNack().isPresent());
    NodeStatus node = xds.node(nodeId).orElseThrow();
    Nack nack = node.type(XdsType.ROUTE).lastNack().orElseThrow();
    assertThat(nack.message())
        .startsWith(
            "RouteConfiguration 'orders' field"
                + " virtual_hosts[0].routes[0].match.headers[1].string_match.safe_regex.regex:")
        .contains("lookaround");
    assertThat(nack.rejectedVersion()).isEqualTo(node.type(XdsType.ROUTE).sentVersion());
    assertThat(node.type(XdsType.ROUTE).ackedVersion()).isNotEqualTo(nack.rejectedVersion());

    Rejection rejection = client.status().lastRejection().orElseThrow();
    assertThat(rejection.type()).isEqualTo(XdsType.ROUTE);
    assertThat(rejection.detail()).isEqualTo(nack.message());
    assertThat(rejection.version()).isEqualTo(nack.rejectedVersion());
    assertThat(published).containsExactly(good);
    assertThat(client.config()).contains(good);
    assertThat(client.status().configVersion()).isEqualTo(good.version());

    // The next good version is accepted and applied.
    xds.update(TradingMesh.state(70, 30, "acc-[0-9]+", List.of()));
    DataPlaneConfig fixed = awaitConfig(2);
    assertThat(
            fixed
                .service("orders")
                .orElseThrow()
                .routes()
                .getFirst()
                .forward()
                .orElseThrow()
                .clusters())
        .containsExactly(
            new RouteAction.WeightedCluster("orders|v1", 70),
            new RouteAction.WeightedCluster("orders|v2", 30));
    await().atMost(WAIT).until(() -> allInSync(xds));
  }

  @Test
  void withoutAControlPlaneTheLastConfigStaysAndANewServerOnThePortResyncsIt() {
    xds.update(TradingMesh.state());
    client = connect(xds.port());
    DataPlaneConfig kept = awaitConfig(1);
    await().atMost(WAIT).until(() -> allInSync(xds));
    int port = xds.port();

    xds.close();
    xds = null;
    await().atMost(WAIT).until(() -> !client.status().connected());
    assertThat(client.config()).contains(kept);
    assertThat(client.status().configVersion()).isEqualTo(kept.version());

    // A control plane that has not read its state yet serves nothing, rather than an empty mesh.
    xds = XdsServer.start(new InetSocketAddress("127.0.0.1", port));
    await().atMost(WAIT).until(() -> xds.node(nodeId).map(NodeStatus::connected).orElse(false));
    assertThat(client.status().connected()).isFalse();

    // The same state: the client resyncs and acknowledges, but nothing changed to publish.
    xds.update(TradingMesh.state());
    await().atMost(WAIT).until(() -> allInSync(xds));
    assertThat(client.status().connected()).isTrue();
    assertThat(published).containsExactly(kept);

    ServiceInstance orders5 = instance("orders", "orders-5", 7005, "v1", "b");
    xds.update(TradingMesh.state(80, 20, "acc-[0-9]+", List.of(orders5)));
    DataPlaneConfig resynced = awaitConfig(2);
    assertThat(resynced.cluster("orders|v1").orElseThrow().endpoints()).hasSize(4);
    assertThat(published).noneMatch(config -> config.services().isEmpty());
  }

  @Test
  void closeStopsEveryThreadOfTheClientEvenWhileItIsReconnecting() throws InterruptedException {
    int port = xds.port();
    xds.close();
    xds = null;
    client = connect(port);
    // Let it fail to connect and back off a few times.
    Thread.sleep(300);
    assertThat(clientThreads()).isNotEmpty();

    client.close();

    await().atMost(WAIT).until(() -> clientThreads().isEmpty());
    assertThat(client.status().connected()).isFalse();
    assertThat(client.config()).isEmpty();
    assertThat(published).isEmpty();
  }

  private List<String> clientThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.contains(nodeId))
        .toList();
  }

  @Test
  void anEmptyMeshIsPublishedWhenTheControlPlaneSaysSo() {
    xds.update(MeshState.EMPTY);
    client = connect(xds.port());

    DataPlaneConfig empty = awaitConfig(1);
    assertThat(empty.services()).isEmpty();
    assertThat(empty.clusters()).isEmpty();
  }
}
