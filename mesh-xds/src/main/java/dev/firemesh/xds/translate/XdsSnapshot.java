package dev.firemesh.xds.translate;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** A complete, consistent set of xDS resources of every type, as one node should see them. */
public record XdsSnapshot(Map<XdsType, ResourceSet> sets) {
  public static final XdsSnapshot EMPTY = of(List.of(), List.of(), List.of(), List.of());

  public XdsSnapshot {
    for (XdsType type : XdsType.values()) {
      ResourceSet set = sets.get(type);
      if (set == null || set.type() != type) {
        throw new IllegalArgumentException("missing the " + type + " resources");
      }
    }
    sets = Map.copyOf(new EnumMap<>(sets));
  }

  public static XdsSnapshot of(
      List<XdsResource> clusters,
      List<XdsResource> endpoints,
      List<XdsResource> listeners,
      List<XdsResource> routes) {
    EnumMap<XdsType, ResourceSet> sets = new EnumMap<>(XdsType.class);
    sets.put(XdsType.CLUSTER, ResourceSet.of(XdsType.CLUSTER, clusters));
    sets.put(XdsType.ENDPOINT, ResourceSet.of(XdsType.ENDPOINT, endpoints));
    sets.put(XdsType.LISTENER, ResourceSet.of(XdsType.LISTENER, listeners));
    sets.put(XdsType.ROUTE, ResourceSet.of(XdsType.ROUTE, routes));
    return new XdsSnapshot(sets);
  }

  public ResourceSet resources(XdsType type) {
    return sets.get(type);
  }

  public String version(XdsType type) {
    return sets.get(type).version();
  }

  /** True if every type has the same version here as in {@code other}: nothing to send. */
  public boolean sameVersionsAs(XdsSnapshot other) {
    for (XdsType type : XdsType.values()) {
      if (!version(type).equals(other.version(type))) {
        return false;
      }
    }
    return true;
  }
}
