package dev.firemesh.traffic.balance;

import dev.firemesh.traffic.config.Endpoint;
import java.util.ArrayList;
import java.util.List;

/** Endpoints for balancer tests: endpoint {@code i} is {@code 10.0.0.i:(8000+i)}. */
public final class Upstreams {
  private Upstreams() {}

  public static List<UpstreamEndpoint> withWeights(List<Integer> weights) {
    List<UpstreamEndpoint> upstreams = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      upstreams.add(
          new UpstreamEndpoint(
              new Endpoint(
                  "10.0." + (i / 250) + "." + (i % 250), 8000 + i, "eu", "eu-1", weights.get(i)),
              new ActiveRequests()));
    }
    return upstreams;
  }

  public static List<UpstreamEndpoint> ofEqualWeight(int count) {
    return withWeights(java.util.Collections.nCopies(count, 1));
  }

  /** The position of {@code picked} in {@code upstreams}, by identity. */
  public static int indexOf(List<UpstreamEndpoint> upstreams, UpstreamEndpoint picked) {
    for (int i = 0; i < upstreams.size(); i++) {
      if (upstreams.get(i) == picked) {
        return i;
      }
    }
    throw new AssertionError(picked + " is not one of " + upstreams);
  }

  public static void setActive(UpstreamEndpoint upstream, int count) {
    while (upstream.activeRequests().count() < count) {
      upstream.activeRequests().increment();
    }
    while (upstream.activeRequests().count() > count) {
      upstream.activeRequests().decrement();
    }
  }
}
