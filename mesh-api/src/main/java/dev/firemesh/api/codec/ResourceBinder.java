package dev.firemesh.api.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.api.resource.AuthorizationPolicy;
import dev.firemesh.api.resource.Canary;
import dev.firemesh.api.resource.Config;
import dev.firemesh.api.resource.Kind;
import dev.firemesh.api.resource.Metadata;
import dev.firemesh.api.resource.MutualTls;
import dev.firemesh.api.resource.RateLimit;
import dev.firemesh.api.resource.Resource;
import dev.firemesh.api.resource.Route;
import dev.firemesh.api.resource.Service;
import dev.firemesh.api.resource.TrafficPolicy;
import dev.firemesh.api.validation.ParsedResource;
import dev.firemesh.api.validation.SourcePosition;
import dev.firemesh.api.validation.Spelling;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The envelope every document shares ({@code apiVersion}, {@code kind}, {@code metadata}, {@code
 * spec}), handing the spec to the codec of its kind.
 */
final class ResourceBinder {

  private static final ServiceCodec SERVICE = new ServiceCodec();
  private static final RouteCodec ROUTE = new RouteCodec();
  private static final TrafficPolicyCodec TRAFFIC_POLICY = new TrafficPolicyCodec();
  private static final AuthorizationPolicyCodec AUTHORIZATION_POLICY =
      new AuthorizationPolicyCodec();
  private static final ConfigCodec CONFIG = new ConfigCodec();
  private static final RateLimitCodec RATE_LIMIT = new RateLimitCodec();
  private static final CanaryCodec CANARY = new CanaryCodec();
  private static final MutualTlsCodec MUTUAL_TLS = new MutualTlsCodec();

  private static final List<String> KIND_NAMES =
      Arrays.stream(Kind.values()).map(Kind::wireName).toList();

  private static final StringRule API_VERSION =
      new StringRule(
          Kind.API_VERSION,
          s -> s.equals(Kind.API_VERSION) ? Optional.empty() : Optional.of(""),
          s -> s);

  private static final StringRule KIND =
      new StringRule(
          "one of " + String.join(", ", KIND_NAMES),
          s ->
              Kind.fromWireName(s).isPresent()
                  ? Optional.empty()
                  : Optional.of(Spelling.hint(s, KIND_NAMES)),
          s -> s);

  /** Stands in for metadata that failed to read, so the spec is still checked. */
  private static final Metadata UNREADABLE = Metadata.named("unreadable");

  private ResourceBinder() {}

  /** Reads one document; empty if it has problems (reported to the context). */
  static Optional<ParsedResource> bind(ReadContext context, Node root) {
    SourcePosition at = context.position(root);
    Optional<Resource> resource =
        Values.object(ResourceBinder::document).read(context, root, "").flatMap(r -> r);
    Map<String, SourcePosition> positions = context.takePositions();
    return resource.map(r -> new ParsedResource(r, at, positions));
  }

  private static Optional<Resource> document(Fields doc) {
    doc.required("apiVersion", Values.string(API_VERSION));
    Optional<Kind> kind =
        doc.required("kind", Values.string(KIND).map(k -> Kind.fromWireName(k).orElseThrow()));
    Metadata metadata =
        doc.required("metadata", Values.object(ResourceBinder::metadata), UNREADABLE);
    if (kind.isEmpty()) {
      doc.skip("spec");
      return Optional.empty();
    }
    return doc.required("spec", Values.object(spec -> readSpec(kind.get(), metadata, spec)));
  }

  private static Metadata metadata(Fields f) {
    return new Metadata(
        f.required("name", Values.string(StringRule.NAME), UNREADABLE.name()),
        f.optional(
            "labels", Values.stringMap(StringRule.LABEL_KEY, StringRule.LABEL_VALUE), Map.of()));
  }

  private static Resource readSpec(Kind kind, Metadata metadata, Fields spec) {
    return switch (kind) {
      case SERVICE -> SERVICE.read(metadata, spec);
      case ROUTE -> ROUTE.read(metadata, spec);
      case TRAFFIC_POLICY -> TRAFFIC_POLICY.read(metadata, spec);
      case AUTHORIZATION_POLICY -> AUTHORIZATION_POLICY.read(metadata, spec);
      case CONFIG -> CONFIG.read(metadata, spec);
      case RATE_LIMIT -> RATE_LIMIT.read(metadata, spec);
      case CANARY -> CANARY.read(metadata, spec);
      case MUTUAL_TLS -> MUTUAL_TLS.read(metadata, spec);
    };
  }

  /** The whole document as a canonical tree. */
  static ObjectNode write(Resource resource) {
    ObjectNode root =
        Trees.object().put("apiVersion", Kind.API_VERSION).put("kind", resource.kind().wireName());
    ObjectNode metadata = root.putObject("metadata").put("name", resource.name());
    Trees.putUnlessEmpty(metadata, "labels", Trees.stringMap(resource.metadata().labels()));
    root.set(
        "spec",
        switch (resource) {
          case Service s -> SERVICE.writeSpec(s);
          case Route r -> ROUTE.writeSpec(r);
          case TrafficPolicy t -> TRAFFIC_POLICY.writeSpec(t);
          case AuthorizationPolicy a -> AUTHORIZATION_POLICY.writeSpec(a);
          case Config c -> CONFIG.writeSpec(c);
          case RateLimit l -> RATE_LIMIT.writeSpec(l);
          case Canary c -> CANARY.writeSpec(c);
          case MutualTls m -> MUTUAL_TLS.writeSpec(m);
        });
    return root;
  }
}
