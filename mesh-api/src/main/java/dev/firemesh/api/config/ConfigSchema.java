package dev.firemesh.api.config;

import java.util.Objects;

/**
 * The shape of one service's configuration, derived by the chassis from the service's config record
 * and published to the control plane at start, so that {@code firemesh apply} can refuse values the
 * service could not bind. {@code root} is an {@code OBJECT}.
 *
 * <p>JSON form: {@code {"service":"orders","root":{"type":"object","fields":{...}}}}.
 */
public record ConfigSchema(String service, SchemaNode root) {
  public ConfigSchema {
    Objects.requireNonNull(service, "service");
    if (root.type() != SchemaType.OBJECT) {
      throw new IllegalArgumentException("a config schema's root is an object, not " + root.type());
    }
  }
}
