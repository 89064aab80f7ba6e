package dev.firemesh.api.codec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.api.resource.Metadata;
import dev.firemesh.api.resource.Service;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code Service}: {@code ports} (at least one; name, port, protocol all required) and {@code
 * subsets} (name and at least one label each). Port names, port numbers and subset names are unique
 * within the service.
 */
final class ServiceCodec implements KindCodec<Service> {

  @Override
  public Service read(Metadata metadata, Fields spec) {
    Unique portNames = new Unique("port name");
    Unique portNumbers = new Unique("port number");
    List<Service.Port> ports =
        spec.nonEmptyList("ports", Values.object(f -> port(f, portNames, portNumbers)));
    Unique subsetNames = new Unique("subset name");
    List<Service.Subset> subsets = spec.list("subsets", Values.object(f -> subset(f, subsetNames)));
    return new Service(metadata, new Service.Spec(ports, subsets));
  }

  private static Service.Port port(Fields f, Unique names, Unique numbers) {
    Optional<String> name = f.required("name", Values.string(StringRule.NAME));
    name.ifPresent(n -> names.check(f.context(), f.pathOf("name"), n, Values.quote(n)));
    Optional<Integer> port = f.required("port", Values.integer(1, 65535));
    port.ifPresent(p -> numbers.check(f.context(), f.pathOf("port"), p, String.valueOf(p)));
    Service.Protocol protocol =
        f.required(
            "protocol",
            Values.oneOf(Service.Protocol.values(), Service.Protocol::wireName),
            Service.Protocol.TCP);
    return new Service.Port(name.orElse(""), port.orElse(1), protocol);
  }

  private static Service.Subset subset(Fields f, Unique names) {
    Optional<String> name = f.required("name", Values.string(StringRule.NAME));
    name.ifPresent(n -> names.check(f.context(), f.pathOf("name"), n, Values.quote(n)));
    if (f.isEmptyCollection("labels")) {
      f.context()
          .problemAt(f.pathOf("labels"), "expected at least one label to select instances by");
    }
    Map<String, String> labels =
        f.required(
            "labels", Values.stringMap(StringRule.LABEL_KEY, StringRule.LABEL_VALUE), Map.of());
    return new Service.Subset(name.orElse(""), labels);
  }

  @Override
  public ObjectNode writeSpec(Service service) {
    ObjectNode spec = Trees.object();
    ArrayNode ports = spec.putArray("ports");
    for (Service.Port port : service.spec().ports()) {
      ports
          .addObject()
          .put("name", port.name())
          .put("port", port.port())
          .put("protocol", port.protocol().wireName());
    }
    ArrayNode subsets = Trees.array();
    for (Service.Subset subset : service.spec().subsets()) {
      ObjectNode s = subsets.addObject().put("name", subset.name());
      s.set("labels", Trees.stringMap(subset.labels()));
    }
    Trees.putUnlessEmpty(spec, "subsets", subsets);
    return spec;
  }
}
