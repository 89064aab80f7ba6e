package dev.firemesh.xds.server;

import static dev.firemesh.xds.translate.Meshes.instance;
import static dev.firemesh.xds.translate.Meshes.policy;
import static dev.firemesh.xds.translate.Meshes.route;
import static dev.firemesh.xds.translate.Meshes.service;
import static dev.firemesh.xds.translate.Meshes.split;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.rpc.Status;
import dev.firemesh.api.registry.ServiceInstance;
import dev.firemesh.api.resource.Resource;
import dev.firemesh.api.resource.TrafficPolicy;
import dev.firemesh.xds.translate.MeshState;
import dev.firemesh.xds.translate.XdsType;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ADS server against hand-written clients: delta, ACK/NACK, node lifecycle. */
class XdsServerTest {
  private static final List<Resource> RESOURCES =
      List.of(service("orders"), route("orders", split(80, 20)));
  private static final List<ServiceInstance> INSTANCES =
      List.of(
          instance("orders", "orders-1", 7001, "v1", "a"),
          instance("orders", "orders-2", 7002, "v1", "b"),
          instance("orders", "orders-3", 7003, "v2", "a"));

  private XdsServer xds;

  @BeforeEach
  void start() {
    xds = XdsServer.start(new InetSocketAddress("127.0.0.1", 0), Duration.ofMillis(300));
  }

  @AfterEach
  void stop() {
    xds.close();
  }

  private static DiscoveryRequest request(RawAdsClient client, XdsType type, String... names) {
    return DiscoveryRequest.newBuilder()
        .setNode(client.node)
        .setTypeUrl(type.typeUrl())
        .addAllResourceNames(List.of(names))
        .build();
  }

  /** A state-of-the-world ACK repeats the subscription: the same names as the request. */
  private static DiscoveryRequest ack(
      RawAdsClient client, DiscoveryResponse response, String... names) {
    return DiscoveryRequest.newBuilder()
        .setNode(client.node)
        .setTypeUrl(response.getTypeUrl())
        .addAllResourceNames(List.of(names))
        .setVersionInfo(response.getVersionInfo())
        .setResponseNonce(response.getNonce())
        .build();
  }

  private static List<String> names(DiscoveryResponse response) {
    return response.getResourcesList().stream()
        .map(
            any -> {
              try {
                return any.is(Cluster.class)
                    ? any.unpack(Cluster.class).getName()
                    : any.unpack(Listener.class).getName();
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            })
        .toList();
  }

  @Test
  void aNodeConnectingAfterAnUpdateIsAnsweredOnItsFirstRequest() throws Exception {
    xds.update(new MeshState(RESOURCES, INSTANCES));

    try (RawAdsClient client = new RawAdsClient(xds.port(), "late-node")) {
      var stream = client.stateOfTheWorld();
      stream.send(request(client, XdsType.CLUSTER));

      DiscoveryResponse clusters = stream.next();
      assertThat(names(clusters)).containsExactlyInAnyOrder("orders", "orders|v1", "orders|v2");
    }
  }

  @Test
  void aNodeConnectingBeforeAnyUpdateWaitsForItInsteadOfBeingToldTheMeshIsEmpty() throws Exception {
    try (RawAdsClient client = new RawAdsClient(xds.port(), "early-node")) {
      var stream = client.stateOfTheWorld();
      stream.send(request(client, XdsType.LISTENER, "orders"));
      stream.send(request(client, XdsType.CLUSTER));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> xds.node("early-node").map(NodeStatus::connected).orElse(false));
      assertThat(stream.nothingReceived()).isTrue();

      xds.update(new MeshState(RESOURCES, INSTANCES));

      List<DiscoveryResponse> first = List.of(stream.next(), stream.next());
      assertThat(first)
          .extracting(DiscoveryResponse::getTypeUrl)
          .containsExactlyInAnyOrder(XdsType.LISTENER.typeUrl(), XdsType.CLUSTER.typeUrl());
      for (DiscoveryResponse response : first) {
        assertThat(names(response)).isNotEmpty();
      }
    }
  }

  @Test
  void listenersThatExistAreSentWhileAnotherRequestedOneDoesNotYet() throws Exception {
    xds.update(new MeshState(RESOURCES, INSTANCES));

    try (RawAdsClient client = new RawAdsClient(xds.port(), "eager-node")) {
      var stream = client.stateOfTheWorld();
      stream.send(request(client, XdsType.LISTENER, "orders", "risk"));
      DiscoveryResponse onlyOrders = stream.next();
      assertThat(names(onlyOrders)).containsExactly("orders");
      stream.send(ack(client, onlyOrders, "orders", "risk"));

      List<Resource> withRisk = new ArrayList<>(RESOURCES);
      withRisk.add(service("risk"));
      xds.update(new MeshState(withRisk, INSTANCES));

      assertThat(names(stream.next())).containsExactlyInAnyOrder("orders", "risk");
    }
  }

  @Test
  void aNodeNamedOnlyInTheFirstRequestKeepsItsSnapshot() throws Exception {
    xds.update(new MeshState(RESOURCES, INSTANCES));

    try (RawAdsClient client = new RawAdsClient(xds.port(), "terse-node")) {
      var stream = client.stateOfTheWorld();
      stream.send(request(client, XdsType.CLUSTER));
      stream.send(ack(client, stream.next()));
      stream.send(request(client, XdsType.LISTENER, "orders").toBuilder().clearNode().build());

      DiscoveryResponse listeners = stream.next();
      assertThat(listeners.getTypeUrl()).isEqualTo(XdsType.LISTENER.typeUrl());
      assertThat(names(listeners)).containsExactly("orders");
    }
  }

  @Test
  void acksAndNacksAreRecordedPerNodeAndType() throws Exception {
    xds.update(new MeshState(RESOURCES, INSTANCES));

    try (RawAdsClient client = new RawAdsClient(xds.port(), "picky-node")) {
      var stream = client.stateOfTheWorld();
      stream.send(request(client, XdsType.CLUSTER));
      DiscoveryResponse clusters = stream.next();
      stream.send(
          ack(client, clusters).toBuilder()
              .setVersionInfo("")
              .setErrorDetail(
                  Status.newBuilder().setCode(3).setMessage("cluster orders|v2: unsupported lb"))
              .build());

      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  xds.node("picky-node")
                      .orElseThrow()
                      .type(XdsType.CLUSTER)
                      .lastNack()
                      .isPresent());
      TypeStatus rejected = xds.node("picky-node").orElseThrow().type(XdsType.CLUSTER);
      assertThat(rejected.lastNack().orElseThrow().message())
          .isEqualTo("cluster orders|v2: unsupported lb");
      assertThat(rejected.lastNack().orElseThrow().rejectedVersion())
          .isEqualTo(clusters.getVersionInfo());
      assertThat(rejected.sentVersion()).isEqualTo(clusters.getVersionInfo());
      assertThat(rejected.ackedVersion()).isEmpty();
      assertThat(xds.nodes()).extracting(NodeStatus::nodeId).containsExactly("picky-node");

      // The rejected version is not sent again: the next response is for the next request.
      xds.update(new MeshState(RESOURCES, List.of(INSTANCES.getFirst())));
      stream.send(request(client, XdsType.LISTENER, "orders"));
      DiscoveryResponse listeners = stream.next();
      assertThat(listeners.getTypeUrl()).isEqualTo(XdsType.LISTENER.typeUrl());
      stream.send(ack(client, listeners, "orders"));

      // A changed cluster is sent, and accepted.
      List<Resource> withPolicy = new ArrayList<>(RESOURCES);
      withPolicy.add(policy("orders", "v2", TrafficPolicy.LoadBalancer.Policy.LEAST_REQUEST));
      xds.update(new MeshState(withPolicy, INSTANCES));
      DiscoveryResponse fixed = stream.next();
      assertThat(fixed.getTypeUrl()).isEqualTo(XdsType.CLUSTER.typeUrl());
      assertThat(fixed.getVersionInfo()).isNotEqualTo(clusters.getVersionInfo());
      stream.send(ack(client, fixed));

      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> {
                NodeStatus status = xds.node("picky-node").orElseThrow();
                return status.type(XdsType.LISTENER).inSync()
                    && status.type(XdsType.CLUSTER).inSync();
              });
      NodeStatus status = xds.node("picky-node").orElseThrow();
      assertThat(status.type(XdsType.LISTENER).ackedVersion())
          .isEqualTo(listeners.getVersionInfo());
      assertThat(status.type(XdsType.LISTENER).lastNack()).isEmpty();
      assertThat(status.type(XdsType.CLUSTER).ackedVersion()).isEqualTo(fixed.getVersionInfo());
      assertThat(status.type(XdsType.CLUSTER).lastNack()).isPresent();
      assertThat(status.connected()).isTrue();
    }
  }

  @Test
  void aDisconnectedNodeIsForgottenAfterTheRetention() throws Exception {
    xds.update(new MeshState(RESOURCES, INSTANCES));
    try (RawAdsClient client = new RawAdsClient(xds.port(), "brief-node")) {
      var stream = client.stateOfTheWorld();
      stream.send(request(client, XdsType.CLUSTER));
      stream.next();
      assertThat(xds.node("brief-node").orElseThrow().connected()).isTrue();
      assertThat(xds.snapshotCount()).isEqualTo(1);
      stream.complete();
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> xds.node("brief-node").isEmpty());
    assertThat(xds.snapshotCount()).isZero();

    // Coming back later is a fresh start, served at once.
    try (RawAdsClient client = new RawAdsClient(xds.port(), "brief-node")) {
      var stream = client.stateOfTheWorld();
      stream.send(request(client, XdsType.CLUSTER));
      assertThat(names(stream.next())).hasSize(3);
    }
  }

  @Test
  void aDeltaClientGetsResourcesAndThenOnlyWhatChanged() throws Exception {
    xds.update(new MeshState(RESOURCES, INSTANCES));

    try (RawAdsClient client = new RawAdsClient(xds.port(), "delta-node")) {
      var stream = client.delta();
      stream.send(delta(client, XdsType.CLUSTER));
      DeltaDiscoveryResponse clusters = stream.next();
      assertThat(resourceNames(clusters))
          .containsExactlyInAnyOrder("orders", "orders|v1", "orders|v2");
      stream.send(deltaAck(client, clusters));

      stream.send(
          delta(client, XdsType.ENDPOINT).toBuilder()
              .addAllResourceNamesSubscribe(List.of("orders", "orders|v1", "orders|v2"))
              .build());
      DeltaDiscoveryResponse endpoints = stream.next();
      assertThat(endpoints.getTypeUrl()).isEqualTo(XdsType.ENDPOINT.typeUrl());
      assertThat(resourceNames(endpoints))
          .containsExactlyInAnyOrder("orders", "orders|v1", "orders|v2");
      stream.send(deltaAck(client, endpoints));

      // A new v1 instance: only the all-instances and v1 assignments change, no cluster does.
      List<ServiceInstance> more = new ArrayList<>(INSTANCES);
      more.add(instance("orders", "orders-4", 7004, "v1", "b"));
      xds.update(new MeshState(RESOURCES, more));
      DeltaDiscoveryResponse changedEndpoints = stream.next();
      assertThat(changedEndpoints.getTypeUrl()).isEqualTo(XdsType.ENDPOINT.typeUrl());
      assertThat(resourceNames(changedEndpoints)).containsExactlyInAnyOrder("orders", "orders|v1");
      assertThat(changedEndpoints.getRemovedResourcesList()).isEmpty();
      stream.send(deltaAck(client, changedEndpoints));

      // A policy for v2 only: only that cluster is sent.
      List<Resource> withPolicy = new ArrayList<>(RESOURCES);
      withPolicy.add(policy("orders", "v2", TrafficPolicy.LoadBalancer.Policy.LEAST_REQUEST));
      xds.update(new MeshState(withPolicy, more));
      DeltaDiscoveryResponse changedClusters = stream.next();
      assertThat(changedClusters.getTypeUrl()).isEqualTo(XdsType.CLUSTER.typeUrl());
      assertThat(resourceNames(changedClusters)).containsExactly("orders|v2");
      assertThat(changedClusters.getResources(0).getResource().unpack(Cluster.class).getLbPolicy())
          .isEqualTo(Cluster.LbPolicy.LEAST_REQUEST);
      stream.send(deltaAck(client, changedClusters));

      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> {
                NodeStatus status = xds.node("delta-node").orElseThrow();
                return status.type(XdsType.CLUSTER).inSync()
                    && status.type(XdsType.ENDPOINT).inSync();
              });
      NodeStatus status = xds.node("delta-node").orElseThrow();
      assertThat(status.type(XdsType.CLUSTER).ackedVersion())
          .isEqualTo(changedClusters.getSystemVersionInfo());
      assertThat(status.type(XdsType.ENDPOINT).ackedVersion())
          .isEqualTo(changedEndpoints.getSystemVersionInfo());
      assertThat(stream.nothingReceived()).isTrue();
    }
  }

  @Test
  void aDeltaNackIsRecorded() throws Exception {
    xds.update(new MeshState(RESOURCES, INSTANCES));

    try (RawAdsClient client = new RawAdsClient(xds.port(), "delta-nack-node")) {
      var stream = client.delta();
      stream.send(delta(client, XdsType.LISTENER));
      DeltaDiscoveryResponse listeners = stream.next();
      stream.send(
          deltaAck(client, listeners).toBuilder()
              .setErrorDetail(Status.newBuilder().setCode(3).setMessage("no api_listener"))
              .build());

      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  xds.node("delta-nack-node")
                      .orElseThrow()
                      .type(XdsType.LISTENER)
                      .lastNack()
                      .isPresent());
      Nack nack =
          xds.node("delta-nack-node").orElseThrow().type(XdsType.LISTENER).lastNack().orElseThrow();
      assertThat(nack.message()).isEqualTo("no api_listener");
      assertThat(nack.rejectedVersion()).isEqualTo(listeners.getSystemVersionInfo());
    }
  }

  private static DeltaDiscoveryRequest delta(RawAdsClient client, XdsType type) {
    return DeltaDiscoveryRequest.newBuilder()
        .setNode(client.node)
        .setTypeUrl(type.typeUrl())
        .build();
  }

  private static DeltaDiscoveryRequest deltaAck(
      RawAdsClient client, DeltaDiscoveryResponse response) {
    return DeltaDiscoveryRequest.newBuilder()
        .setNode(client.node)
        .setTypeUrl(response.getTypeUrl())
        .setResponseNonce(response.getNonce())
        .build();
  }

  private static List<String> resourceNames(DeltaDiscoveryResponse response) {
    return response.getResourcesList().stream()
        .map(io.envoyproxy.envoy.service.discovery.v3.Resource::getName)
        .toList();
  }
}
