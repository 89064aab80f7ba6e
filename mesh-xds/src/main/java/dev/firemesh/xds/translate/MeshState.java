package dev.firemesh.xds.translate;

import dev.firemesh.api.registry.ServiceInstance;
import dev.firemesh.api.resource.Resource;
import java.util.List;

/** Everything the translation reads: the applied resources and the registered instances. */
public record MeshState(List<Resource> resources, List<ServiceInstance> instances) {
  public static final MeshState EMPTY = new MeshState(List.of(), List.of());

  public MeshState {
    resources = List.copyOf(resources);
    instances = List.copyOf(instances);
  }
}
