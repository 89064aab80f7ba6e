package dev.firemesh.api.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.api.resource.Config;
import dev.firemesh.api.resource.Metadata;
import java.util.Map;

/**
 * {@code Config}: {@code service}, {@code environment}, optional {@code region} and {@code
 * instance}, and {@code values}, a free-form tree (see {@link Config} for its number types).
 */
final class ConfigCodec implements KindCodec<Config> {

  @Override
  public Config read(Metadata metadata, Fields spec) {
    return new Config(
        metadata,
        new Config.Spec(
            spec.required("service", Values.string(StringRule.NAME), ""),
            spec.required("environment", Values.string(StringRule.NAME), ""),
            spec.optional("region", Values.string(StringRule.NAME), ""),
            spec.optional("instance", Values.string(StringRule.INSTANCE_ID), ""),
            spec.optional("values", Values.treeMap(), Map.of())));
  }

  @Override
  public ObjectNode writeSpec(Config config) {
    Config.Spec s = config.spec();
    ObjectNode spec =
        Trees.object().put("service", s.service()).put("environment", s.environment());
    if (!s.region().isEmpty()) {
      spec.put("region", s.region());
    }
    if (!s.instance().isEmpty()) {
      spec.put("instance", s.instance());
    }
    Trees.putUnlessEmpty(spec, "values", Trees.value(s.values()));
    return spec;
  }
}
