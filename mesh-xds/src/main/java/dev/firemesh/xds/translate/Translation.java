package dev.firemesh.xds.translate;

import dev.firemesh.traffic.locality.Locality;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The result of one translation, from which each node's view is taken. Every node sees the whole
 * mesh; a node that says where it runs gets the endpoints ranked for its locality (EDS priorities:
 * its zone, its region, anywhere), computed once per locality. Scoping a node to the services it
 * calls, or giving a sidecar its inbound listener, also belongs in {@link #forNode}.
 */
public final class Translation {
  /**
   * Views kept per translation; localities are few, and a node cannot make the cache grow past it.
   */
  private static final int MAX_CACHED_LOCALITIES = 256;

  private final XdsSnapshot mesh;
  private final Function<Locality, List<XdsResource>> endpointsFor;
  private final Map<Locality, XdsSnapshot> byLocality = new ConcurrentHashMap<>();

  /**
   * @param mesh the view of a node of unknown locality
   * @param endpointsFor every ClusterLoadAssignment as a caller in that locality should see it
   */
  Translation(XdsSnapshot mesh, Function<Locality, List<XdsResource>> endpointsFor) {
    this.mesh = mesh;
    this.endpointsFor = endpointsFor;
  }

  /** The view of a node that does not say where it runs. */
  public XdsSnapshot mesh() {
    return mesh;
  }

  public XdsSnapshot forNode(NodeIdentity node) {
    Locality locality = new Locality(node.region(), node.zone());
    if (!locality.isKnown()) {
      return mesh;
    }
    XdsSnapshot cached = byLocality.get(locality);
    if (cached != null) {
      return cached;
    }
    EnumMap<XdsType, ResourceSet> sets = new EnumMap<>(mesh.sets());
    sets.put(XdsType.ENDPOINT, ResourceSet.of(XdsType.ENDPOINT, endpointsFor.apply(locality)));
    XdsSnapshot view = new XdsSnapshot(sets);
    if (byLocality.size() < MAX_CACHED_LOCALITIES) {
      byLocality.putIfAbsent(locality, view);
    }
    return view;
  }
}
