package dev.firemesh.traffic.balance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.ClusterConfig.BalancerPolicy;
import dev.firemesh.traffic.config.Endpoint;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClusterStateTest {
  private static final Endpoint A = new Endpoint("10.0.0.1", 80, "eu", "eu-1", 1);
  private static final Endpoint B = new Endpoint("10.0.0.2", 80, "eu", "eu-1", 1);
  private static final Endpoint C = new Endpoint("10.0.0.3", 80, "eu", "eu-1", 1);

  @Test
  void countsOfSurvivingEndpointsCarryOverAndNewOnesStartAtZero() {
    ClusterState first = ClusterState.create(cluster(BalancerPolicy.LEAST_REQUEST, A, B));
    first.endpoints().get(0).activeRequests().increment();
    first.endpoints().get(0).activeRequests().increment();
    first.endpoints().get(1).activeRequests().increment();

    // A keeps its address but changes weight, B leaves, C arrives, and the policy changes.
    Endpoint heavierA = new Endpoint("10.0.0.1", 80, "eu", "eu-2", 5);
    ClusterState second = first.withConfig(cluster(BalancerPolicy.ROUND_ROBIN, heavierA, C));

    assertThat(second).isNotSameAs(first);
    assertThat(second.activeRequests("10.0.0.1:80")).isEqualTo(OptionalInt.of(2));
    assertThat(second.activeRequests("10.0.0.3:80")).isEqualTo(OptionalInt.of(0));
    assertThat(second.activeRequests("10.0.0.2:80")).isEmpty();
    assertThat(second.endpoints().get(0).activeRequests())
        .isSameAs(first.endpoints().get(0).activeRequests());
    assertThat(second.endpoints().get(0).endpoint()).isEqualTo(heavierA);
  }

  @Test
  void anUnchangedConfigurationKeepsTheStateAndTheBalancersPosition() {
    ClusterConfig config = cluster(BalancerPolicy.ROUND_ROBIN, A, B, C);
    ClusterState state = ClusterState.create(config);
    PickContext context = PickContext.of(new SplittableRandom(1));
    assertThat(state.pick(context).orElseThrow().endpoint()).isEqualTo(A);

    ClusterState same = state.withConfig(cluster(BalancerPolicy.ROUND_ROBIN, A, B, C));

    assertThat(same).isSameAs(state);
    assertThat(same.pick(context).orElseThrow().endpoint()).isEqualTo(B);
  }

  @Test
  void anAddressListedTwiceSharesOneCount() {
    Endpoint againA = new Endpoint("10.0.0.1", 80, "us", "us-1", 3);
    ClusterState state = ClusterState.create(cluster(BalancerPolicy.RANDOM, A, againA));
    assertThat(state.endpoints().get(0).activeRequests())
        .isSameAs(state.endpoints().get(1).activeRequests());
  }

  @Test
  void onlyTheConsistentHashingBalancersAskForAHashKey() {
    assertThat(ClusterState.create(cluster(BalancerPolicy.RING_HASH, A)).hashesRequests()).isTrue();
    assertThat(ClusterState.create(cluster(BalancerPolicy.MAGLEV, A)).hashesRequests()).isTrue();
    assertThat(ClusterState.create(cluster(BalancerPolicy.RANDOM, A)).hashesRequests()).isFalse();
  }

  @Test
  void sendsOnlyToTheLowestPriorityPresentButCountsEveryEndpoint() {
    Endpoint near = new Endpoint("10.0.0.1", 80, "eu", "eu-1", 1, 1);
    Endpoint far = new Endpoint("10.0.0.2", 80, "us", "us-1", 1, 2);
    ClusterState state = ClusterState.create(cluster(BalancerPolicy.RANDOM, far, near));
    assertThat(state.servingEndpoints())
        .extracting(UpstreamEndpoint::endpoint)
        .containsExactly(near);
    assertThat(state.endpoints()).hasSize(2);
    assertThat(state.activeRequests(far.hostPort())).hasValue(0);
  }

  static ClusterConfig cluster(BalancerPolicy policy, Endpoint... endpoints) {
    return new ClusterConfig(
        "orders",
        ClusterConfig.Protocol.HTTP1,
        policy,
        Duration.ofSeconds(1),
        Duration.ofMinutes(1),
        ClusterConfig.Limits.DEFAULT,
        ClusterConfig.OutlierDetection.DISABLED,
        List.of(endpoints));
  }
}
