package dev.firemesh.traffic.locality;

import dev.firemesh.traffic.config.Endpoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A caller's order of preference among localities: its own zone, then the rest of its own region,
 * then anywhere else. {@link #priorities} turns that order into priority levels (0 first) for the
 * localities actually present, without gaps: with no endpoint in the caller's zone, its region is
 * priority 0. A caller of unknown locality prefers nothing, and every locality is priority 0.
 *
 * <p>The control plane applies it per node when it builds each node's endpoints (EDS priorities,
 * which proxyless gRPC clients honour too); a data plane only walks the levels in order.
 */
public record LocalityPreference(Locality caller) {

  /** How close a locality is to the caller, in order of preference. */
  public enum Proximity {
    SAME_ZONE,
    SAME_REGION,
    ELSEWHERE
  }

  public LocalityPreference {
    Objects.requireNonNull(caller, "caller");
  }

  public Proximity proximity(Locality endpoint) {
    if (!caller.isKnown() || !caller.region().equals(endpoint.region())) {
      return caller.isKnown() ? Proximity.ELSEWHERE : Proximity.SAME_ZONE;
    }
    return !caller.zone().isEmpty() && caller.zone().equals(endpoint.zone())
        ? Proximity.SAME_ZONE
        : Proximity.SAME_REGION;
  }

  /**
   * The priority of each of {@code present}: its proximity's rank among the proximities present.
   */
  public Map<Locality, Integer> priorities(Collection<Locality> present) {
    EnumSet<Proximity> levels = EnumSet.noneOf(Proximity.class);
    for (Locality locality : present) {
      levels.add(proximity(locality));
    }
    List<Proximity> ranked = new ArrayList<>(levels); // EnumSet iterates in declaration order
    Map<Locality, Integer> priorities = HashMap.newHashMap(present.size());
    for (Locality locality : present) {
      priorities.put(locality, ranked.indexOf(proximity(locality)));
    }
    return Map.copyOf(priorities);
  }

  /** {@code endpoints} with their priorities set by this preference. */
  public List<Endpoint> ranked(List<Endpoint> endpoints) {
    List<Locality> present = new ArrayList<>(endpoints.size());
    for (Endpoint endpoint : endpoints) {
      present.add(of(endpoint));
    }
    Map<Locality, Integer> priorities = priorities(present);
    List<Endpoint> ranked = new ArrayList<>(endpoints.size());
    for (Endpoint endpoint : endpoints) {
      ranked.add(endpoint.reweighted(endpoint.weight(), priorities.get(of(endpoint))));
    }
    return List.copyOf(ranked);
  }

  private static Locality of(Endpoint endpoint) {
    return new Locality(endpoint.region(), endpoint.zone());
  }
}
