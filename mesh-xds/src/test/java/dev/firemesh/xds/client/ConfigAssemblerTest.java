package dev.firemesh.xds.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.xds.translate.XdsType;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The protocol's cases the real server does not easily produce, response by response. */
class ConfigAssemblerTest {
  private static final XdsResources MESH = TradingMesh.resources(TradingMesh.state());

  private final ConfigAssembler assembler =
      new ConfigAssembler(Node.newBuilder().setId("node").build(), Clock.systemUTC());
  private int nonce;

  private ConfigAssembler.Outcome respond(
      XdsType type, String version, Collection<? extends Message> resources) {
    DiscoveryResponse.Builder response =
        DiscoveryResponse.newBuilder()
            .setTypeUrl(type.typeUrl())
            .setVersionInfo(version)
            .setNonce(String.valueOf(++nonce));
    resources.forEach(r -> response.addResources(Any.pack(r)));
    return assembler.onResponse(response.build());
  }

  /** Serves the whole mesh, types in the order java-control-plane answers ADS. */
  private DataPlaneConfig serveAll() {
    assembler.streamStarted();
    assertThat(respond(XdsType.CLUSTER, "c1", MESH.clusters().values()).newConfig()).isEmpty();
    assertThat(respond(XdsType.LISTENER, "l1", MESH.listeners().values()).newConfig()).isEmpty();
    assertThat(respond(XdsType.ENDPOINT, "e1", MESH.loadAssignments().values()).newConfig())
        .isEmpty();
    return respond(XdsType.ROUTE, "r1", MESH.routeConfigurations().values())
        .newConfig()
        .orElseThrow();
  }

  @Test
  void nothingIsPublishedUntilEveryNamedResourceHasArrived() {
    DataPlaneConfig config = serveAll();

    assertThat(config.version()).isEqualTo("lds=l1 rds=r1 cds=c1 eds=e1");
    TradingMesh.check(config);
  }

  @Test
  void theFirstRequestsSubscribeToWildcardsAndTheNamesFollowTheListenersAndClusters() {
    List<DiscoveryRequest> first = assembler.streamStarted();
    assertThat(first)
        .extracting(DiscoveryRequest::getTypeUrl)
        .containsExactly(XdsType.CLUSTER.typeUrl(), XdsType.LISTENER.typeUrl());
    assertThat(first).allMatch(r -> r.getResourceNamesList().isEmpty());

    List<DiscoveryRequest> afterClusters =
        respond(XdsType.CLUSTER, "c1", MESH.clusters().values()).requests();
    assertThat(afterClusters.getFirst().getVersionInfo()).isEqualTo("c1");
    assertThat(afterClusters.getFirst().getResponseNonce()).isEqualTo("1");
    assertThat(afterClusters.getLast().getTypeUrl()).isEqualTo(XdsType.ENDPOINT.typeUrl());
    assertThat(afterClusters.getLast().getResourceNamesList())
        .containsExactly("ledger", "orders", "orders|v1", "orders|v2", "web");

    // On a new stream, the names known so far are asked for at once, without versions.
    List<DiscoveryRequest> again = assembler.streamStarted();
    assertThat(again)
        .extracting(DiscoveryRequest::getTypeUrl)
        .containsExactly(
            XdsType.CLUSTER.typeUrl(), XdsType.ENDPOINT.typeUrl(), XdsType.LISTENER.typeUrl());
    assertThat(again).allMatch(r -> r.getVersionInfo().isEmpty() && r.getResponseNonce().isEmpty());
  }

  @Test
  void aNackNamesTheLastAcceptedVersionAndTheTypeKeepsWhatItHad() {
    DataPlaneConfig good = serveAll();
    Listener broken = Listener.newBuilder().setName("orders").build(); // no api_listener: refused

    List<DiscoveryRequest> requests = respond(XdsType.LISTENER, "l2", List.of(broken)).requests();

    assertThat(requests).hasSize(1);
    DiscoveryRequest nack = requests.getFirst();
    assertThat(nack.getVersionInfo()).isEqualTo("l1");
    assertThat(nack.getResponseNonce()).isEqualTo(String.valueOf(nonce));
    assertThat(nack.getErrorDetail().getMessage())
        .isEqualTo(
            "Listener 'orders' field api_listener: required: only API listeners are supported");
    assertThat(assembler.config()).contains(good);
    assertThat(assembler.rejections().getLast().version()).isEqualTo("l2");

    // The same listeners again: accepted, and nothing new to publish.
    assertThat(respond(XdsType.LISTENER, "l1", MESH.listeners().values()).newConfig()).isEmpty();
  }

  @Test
  void aRouteResponseWithOnlyWhatChangedKeepsTheOthers() {
    serveAll();
    var orders = MESH.routeConfigurations().get("orders");
    var changed =
        orders.toBuilder()
            .setVirtualHosts(0, orders.getVirtualHosts(0).toBuilder().addDomains("orders.internal"))
            .build();

    DataPlaneConfig config =
        respond(XdsType.ROUTE, "r2", List.of(changed)).newConfig().orElseThrow();

    assertThat(config.services()).containsOnlyKeys("orders", "web", "ledger");
  }

  @Test
  void aListenerThatComesBackIsSubscribedToAgainAndWaitsForItsRoutes() {
    serveAll();
    var withoutWeb =
        MESH.listeners().values().stream().filter(l -> !l.getName().equals("web")).toList();
    ConfigAssembler.Outcome left = respond(XdsType.LISTENER, "l2", withoutWeb);
    assertThat(left.newConfig().orElseThrow().services()).containsOnlyKeys("orders", "ledger");
    assertThat(left.requests().getLast().getResourceNamesList())
        .containsExactly("ledger", "orders");

    ConfigAssembler.Outcome back = respond(XdsType.LISTENER, "l3", MESH.listeners().values());
    assertThat(back.newConfig()).isEmpty();
    assertThat(back.requests().getLast().getTypeUrl()).isEqualTo(XdsType.ROUTE.typeUrl());
    assertThat(back.requests().getLast().getResourceNamesList())
        .containsExactly("ledger", "orders", "web");

    DataPlaneConfig config =
        respond(XdsType.ROUTE, "r1", MESH.routeConfigurations().values()).newConfig().orElseThrow();
    assertThat(config.services()).containsOnlyKeys("orders", "web", "ledger");
  }

  @Test
  void whenNoListenerIsLeftTheRoutesStaySubscribedAndServeTheirReturn() {
    serveAll();
    ConfigAssembler.Outcome none = respond(XdsType.LISTENER, "l2", List.of());
    assertThat(none.newConfig().orElseThrow().services()).isEmpty();
    // An empty subscription would mean "everything" to the server: none is sent.
    assertThat(none.requests()).hasSize(1);

    DataPlaneConfig back =
        respond(XdsType.LISTENER, "l3", MESH.listeners().values()).newConfig().orElseThrow();
    assertThat(back.services()).containsOnlyKeys("orders", "web", "ledger");
  }

  @Test
  void anUnknownTypeIsNacked() {
    DiscoveryRequest nack =
        assembler
            .onResponse(
                DiscoveryResponse.newBuilder()
                    .setTypeUrl(
                        "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret")
                    .setNonce("9")
                    .build())
            .requests()
            .getFirst();

    assertThat(nack.getErrorDetail().getMessage()).startsWith("unsupported resource type");
    assertThat(nack.getResponseNonce()).isEqualTo("9");
  }
}
