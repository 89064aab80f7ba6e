package dev.firemesh.traffic.route;

import static dev.firemesh.traffic.route.Configs.cluster;
import static dev.firemesh.traffic.route.Configs.config;
import static dev.firemesh.traffic.route.Configs.endpoint;
import static dev.firemesh.traffic.route.Configs.route;
import static dev.firemesh.traffic.route.Configs.service;
import static dev.firemesh.traffic.route.Configs.to;
import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.traffic.balance.BinomialBounds;
import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.ClusterConfig.BalancerPolicy;
import dev.firemesh.traffic.config.RequestMatch;
import dev.firemesh.traffic.config.RouteAction.WeightedCluster;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class WeightedClusterSplitTest {

  @Property(tries = 40)
  void requestsSplitAcrossClustersInProportionToWeightAndNeverToZeroWeights(
      @ForAll @Size(min = 1, max = 5) List<@IntRange(max = 10) Integer> weights,
      @ForAll long seed) {
    int total = weights.stream().mapToInt(Integer::intValue).sum();
    Assume.that(total > 0);
    List<WeightedCluster> destinations = new ArrayList<>();
    List<ClusterConfig> clusters = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      destinations.add(to("c" + i, weights.get(i)));
      clusters.add(cluster("c" + i, BalancerPolicy.RANDOM, endpoint("10.0.0." + i, 80)));
    }
    RandomGenerator random = new SplittableRandom(seed);
    SnapshotRouter router =
        new SnapshotRouter(
            config(
                "1",
                List.of(
                    service(
                        "orders",
                        route(
                            "split",
                            RequestMatch.ANY,
                            destinations.toArray(WeightedCluster[]::new)))),
                clusters),
            random);

    int trials = 20_000;
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < trials; i++) {
      var routed = (RouteResult.Routed) router.route("orders", Request.get("/"));
      routed.lease().close();
      counts.merge(routed.cluster().name(), 1, Integer::sum);
    }
    for (int i = 0; i < weights.size(); i++) {
      int count = counts.getOrDefault("c" + i, 0);
      if (weights.get(i) == 0) {
        assertThat(count).as("cluster of weight zero").isZero();
      } else {
        BinomialBounds.assertWithinFiveSigma(
            "c" + i + " of " + weights, count, trials, weights.get(i) / (double) total);
      }
    }
  }
}
