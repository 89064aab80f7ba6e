package dev.firemesh.xds.server;

import com.google.protobuf.Message;
import dev.firemesh.xds.translate.ResourceSet;
import dev.firemesh.xds.translate.XdsResource;
import dev.firemesh.xds.translate.XdsSnapshot;
import dev.firemesh.xds.translate.XdsType;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.Snapshot;
import io.envoyproxy.controlplane.cache.VersionedResource;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An {@link XdsSnapshot} as java-control-plane's cache reads it. Versions are FireMesh's content
 * hashes rather than the library's: per resource for delta clients, and per requested names for
 * state-of-the-world clients, so a client watching {@code orders} is not re-sent {@code orders}
 * because {@code payments} changed.
 */
final class CacheSnapshot extends Snapshot {
  /** The version of a type FireMesh does not serve (secrets): there is never anything to send. */
  private static final String NOTHING = "";

  private final XdsSnapshot xds;
  private final Map<ResourceType, Map<String, VersionedResource<? extends Message>>> versioned =
      new EnumMap<>(ResourceType.class);
  private final Map<ResourceType, Map<String, Message>> messages =
      new EnumMap<>(ResourceType.class);

  CacheSnapshot(XdsSnapshot xds) {
    this.xds = xds;
    for (ResourceType type : ResourceType.values()) {
      Map<String, VersionedResource<? extends Message>> byName = new LinkedHashMap<>();
      Map<String, Message> plain = new LinkedHashMap<>();
      set(type)
          .ifPresent(
              set -> {
                for (XdsResource resource : set.byName().values()) {
                  byName.put(
                      resource.name(),
                      VersionedResource.create(resource.message(), resource.version()));
                  plain.put(resource.name(), resource.message());
                }
              });
      versioned.put(type, Map.copyOf(byName));
      messages.put(type, Map.copyOf(plain));
    }
  }

  XdsSnapshot xds() {
    return xds;
  }

  @Override
  public String version(ResourceType type, List<String> resourceNames) {
    return set(type).map(set -> set.version(resourceNames)).orElse(NOTHING);
  }

  @Override
  public Map<String, ? extends Message> resources(ResourceType type) {
    return messages.get(type);
  }

  @Override
  public Map<String, VersionedResource<? extends Message>> versionedResources(ResourceType type) {
    return versioned.get(type);
  }

  private Optional<ResourceSet> set(ResourceType type) {
    return switch (type) {
      case CLUSTER -> Optional.of(xds.resources(XdsType.CLUSTER));
      case ENDPOINT -> Optional.of(xds.resources(XdsType.ENDPOINT));
      case LISTENER -> Optional.of(xds.resources(XdsType.LISTENER));
      case ROUTE -> Optional.of(xds.resources(XdsType.ROUTE));
      case SECRET -> Optional.empty();
    };
  }
}
