package dev.firemesh.api.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.api.resource.Metadata;
import dev.firemesh.api.resource.Resource;

/**
 * Reads and writes the {@code spec} of one kind. Both directions live in one class so that each
 * field's name and default are written down once.
 */
sealed interface KindCodec<R extends Resource>
    permits ServiceCodec,
        RouteCodec,
        TrafficPolicyCodec,
        AuthorizationPolicyCodec,
        ConfigCodec,
        RateLimitCodec,
        CanaryCodec,
        MutualTlsCodec {

  /** Reads a spec, reporting every problem to the fields' context. */
  R read(Metadata metadata, Fields spec);

  /** The spec in canonical form: fixed field order, defaults left out. */
  ObjectNode writeSpec(R resource);
}
