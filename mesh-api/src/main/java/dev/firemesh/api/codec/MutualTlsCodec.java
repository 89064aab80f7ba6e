package dev.firemesh.api.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.api.resource.Metadata;
import dev.firemesh.api.resource.MutualTls;
import dev.firemesh.api.resource.MutualTls.Mode;

/**
 * {@code MutualTls}: a required {@code mode} ({@code strict} or {@code permissive}) and an optional
 * {@code service}; without one, the resource is the mesh-wide default.
 */
final class MutualTlsCodec implements KindCodec<MutualTls> {

  @Override
  public MutualTls read(Metadata metadata, Fields spec) {
    Mode mode = spec.required("mode", Values.oneOf(Mode.values(), Mode::wireName), Mode.PERMISSIVE);
    String service = spec.optional("service", Values.string(StringRule.NAME), "");
    return new MutualTls(metadata, new MutualTls.Spec(mode, service));
  }

  @Override
  public ObjectNode writeSpec(MutualTls mtls) {
    ObjectNode spec = Trees.object().put("mode", mtls.spec().mode().wireName());
    if (!mtls.spec().meshWide()) {
      spec.put("service", mtls.spec().service());
    }
    return spec;
  }
}
