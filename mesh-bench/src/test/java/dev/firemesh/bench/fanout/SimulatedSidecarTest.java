package dev.firemesh.bench.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Simulated sidecars against an in-test ADS server: what they send, and when they see a change. */
class SimulatedSidecarTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ProbeService PROBE = new ProbeService("fanout-probe");

  private InTestControlPlane controlPlane;
  private SidecarFleet fleet;

  @BeforeEach
  void start() throws Exception {
    controlPlane = new InTestControlPlane(PROBE.name());
    controlPlane.servePort(8080);
  }

  @AfterEach
  void stop() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
    controlPlane.close();
  }

  @Test
  void subscribesLikeASidecarAndAcksEveryResponseWithItsVersionAndNonce() throws Exception {
    fleet = fleet(3, 2);
    Rollout initial = new Rollout(8080, 3);
    fleet.watch(initial);
    fleet.connect();
    assertThat(initial.await(WAIT)).isTrue();
    Rollout change = new Rollout(8081, 3);
    fleet.watch(change);
    controlPlane.servePort(8081);
    assertThat(change.await(WAIT)).isTrue();

    // Every response the server sent is answered by a request with its type, version and nonce.
    await(
        () ->
            controlPlane.responses().stream()
                .allMatch(
                    response ->
                        controlPlane.requests().stream()
                            .anyMatch(
                                request ->
                                    request.getNode().getId().equals(response.node())
                                        && request.getTypeUrl().equals(response.typeUrl())
                                        && request.getVersionInfo().equals(response.version())
                                        && request.getResponseNonce().equals(response.nonce())
                                        && !request.hasErrorDetail())));
    List<DiscoveryRequest> requests = controlPlane.requests();
    assertThat(requests).noneMatch(DiscoveryRequest::hasErrorDetail);
    assertThat(fleet.nacks()).isZero();
    for (SimulatedSidecar sidecar : fleet.sidecars()) {
      String id = sidecar.identity().id();
      List<DiscoveryRequest> own =
          requests.stream().filter(r -> r.getNode().getId().equals(id)).toList();
      // As a sidecar: the node on every request, its service as the cluster, the locality.
      assertThat(own)
          .allSatisfy(
              r -> {
                assertThat(r.getNode().getCluster()).isEqualTo("caller");
                assertThat(r.getNode().getUserAgentName()).isEqualTo("firemesh");
                assertThat(r.getNode().getLocality().getZone())
                    .isEqualTo("z" + sidecar.index() % 2);
              });
      // Clusters first, then Listeners, both by wildcard.
      assertThat(own.get(0).getTypeUrl()).isEqualTo(ResourceType.CLUSTER.typeUrl());
      assertThat(own.get(0).getResourceNamesList()).isEmpty();
      assertThat(own.get(1).getTypeUrl()).isEqualTo(ResourceType.LISTENER.typeUrl());
      assertThat(own.get(1).getResourceNamesList()).isEmpty();
      // Endpoints and routes by the names the clusters and listeners give.
      assertThat(own)
          .filteredOn(r -> r.getTypeUrl().equals(ResourceType.ENDPOINT.typeUrl()))
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.getResourceNamesList()).containsExactly(PROBE.name()));
      assertThat(own)
          .filteredOn(r -> r.getTypeUrl().equals(ResourceType.ROUTE.typeUrl()))
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.getResourceNamesList()).containsExactly(PROBE.name()));
      assertThat(sidecar.version(ResourceType.CLUSTER)).isEqualTo(controlPlane.version());
      assertThat(sidecar.complete()).isTrue();
    }
  }

  @Test
  void aChangeCountsOnlyOnceItsPortArrives() throws Exception {
    fleet = fleet(2, 0);
    Rollout initial = new Rollout(8080, 2);
    fleet.watch(initial);
    fleet.connect();
    assertThat(initial.await(WAIT)).isTrue();

    Rollout change = new Rollout(9090, 2);
    fleet.watch(change);
    // Another change reaches every sidecar (each ACKs the new version), the probe's port does not.
    controlPlane.serveOtherCluster("other");
    String unrelated = controlPlane.version();
    await(
        () ->
            fleet.sidecars().stream()
                .allMatch(s -> s.version(ResourceType.CLUSTER).equals(unrelated)));
    assertThat(change.arrivedCount()).isZero();

    controlPlane.servePort(9090);
    assertThat(change.await(WAIT)).isTrue();
    assertThat(IntStream.range(0, 2).allMatch(change::arrived)).isTrue();
    // The new cluster's assignment was subscribed too, as a sidecar does.
    assertThat(controlPlane.requests())
        .anyMatch(
            r ->
                r.getTypeUrl().equals(ResourceType.ENDPOINT.typeUrl())
                    && r.getResourceNamesList().contains("other"));
    assertThat(fleet.lost()).isZero();
  }

  @Test
  void aLostStreamIsReportedNotHidden() throws Exception {
    fleet = fleet(2, 0);
    Rollout initial = new Rollout(8080, 2);
    fleet.watch(initial);
    fleet.connect();
    assertThat(initial.await(WAIT)).isTrue();

    controlPlane.close();
    await(() -> fleet.lost() == 2);
    assertThat(fleet.lostReasons()).hasSize(2);
  }

  @Test
  void eachServiceRidesItsOwnConnectionsPresentingItsOwnCertificate() throws Exception {
    controlPlane.close();
    controlPlane = InTestControlPlane.withTls(PROBE.name());
    controlPlane.servePort(8080);
    // Three callers and one other: three connections, two for the callers, one for the other.
    List<SidecarIdentity> identities =
        List.of(
            new SidecarIdentity("sidecar-0", "caller", "", ""),
            new SidecarIdentity("sidecar-1", "other", "", ""),
            new SidecarIdentity("sidecar-2", "caller", "", ""),
            new SidecarIdentity("sidecar-3", "caller", "", ""));
    fleet =
        new SidecarFleet(
            "127.0.0.1",
            controlPlane.address().xdsPort(),
            identities,
            3,
            1,
            PROBE,
            XdsChannelSecurity.svids(
                Map.of(
                    "caller", controlPlane.svid("caller"), "other", controlPlane.svid("other"))));
    assertThat(fleet.channelsByService()).containsExactly(entry("caller", 2), entry("other", 1));
    Rollout initial = new Rollout(8080, 4);
    fleet.watch(initial);
    fleet.connect();
    assertThat(initial.await(WAIT)).isTrue();

    // The stand-in serves a node only as the service its connection's certificate names.
    Map<String, InTestControlPlane.Certified> certified = controlPlane.certified();
    for (SidecarIdentity identity : identities) {
      assertThat(certified.get(identity.id()).service()).isEqualTo(identity.service());
    }
    Map<String, Set<SocketAddress>> connections =
        certified.values().stream()
            .collect(
                Collectors.groupingBy(
                    InTestControlPlane.Certified::service,
                    Collectors.mapping(
                        InTestControlPlane.Certified::connection, Collectors.toSet())));
    assertThat(connections.get("caller")).hasSize(2);
    assertThat(connections.get("other"))
        .hasSize(1)
        .doesNotContainAnyElementsOf(connections.get("caller"));
    assertThat(fleet.lost()).isZero();
  }

  @Test
  void aServiceWithoutItsCertificateIsRefusedBeforeConnecting() throws Exception {
    List<SidecarIdentity> identities =
        List.of(
            new SidecarIdentity("sidecar-0", "caller", "", ""),
            new SidecarIdentity("sidecar-1", "other", "", ""));
    try (InTestControlPlane tls = InTestControlPlane.withTls(PROBE.name())) {
      XdsChannelSecurity onlyCaller =
          XdsChannelSecurity.svids(Map.of("caller", tls.svid("caller")));
      assertThatThrownBy(
              () -> new SidecarFleet("127.0.0.1", 1, identities, 2, 1, PROBE, onlyCaller))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("other");
    }
  }

  @Test
  void channelsAreSharedByServicesAsTheirSidecarsAre() {
    // One service: the knob is the fleet's total, up to one per sidecar.
    assertThat(SidecarFleet.shares(Map.of("a", 100), 4)).containsExactly(entry("a", 4));
    assertThat(SidecarFleet.shares(Map.of("a", 3), 8)).containsExactly(entry("a", 3));
    // Several: at least one each, the rest where connections carry the most sidecars.
    Map<String, Integer> byService = new LinkedHashMap<>();
    byService.put("a", 90);
    byService.put("b", 10);
    byService.put("c", 1);
    assertThat(SidecarFleet.shares(byService, 10))
        .containsExactly(entry("a", 8), entry("b", 1), entry("c", 1));
    assertThat(SidecarFleet.shares(byService, 1))
        .containsExactly(entry("a", 1), entry("b", 1), entry("c", 1));
  }

  private SidecarFleet fleet(int sidecars, int zones) {
    InTestControlPlane cp = controlPlane;
    List<SidecarIdentity> identities =
        IntStream.range(0, sidecars)
            .mapToObj(
                i ->
                    zones == 0
                        ? new SidecarIdentity("sidecar-" + i, "caller", "", "")
                        : new SidecarIdentity("sidecar-" + i, "caller", "bench", "z" + i % zones))
            .toList();
    return new SidecarFleet(
        "127.0.0.1",
        cp.address().xdsPort(),
        identities,
        2,
        1,
        PROBE,
        XdsChannelSecurity.plaintext());
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not true within " + WAIT);
      }
      Thread.sleep(10);
    }
  }
}
