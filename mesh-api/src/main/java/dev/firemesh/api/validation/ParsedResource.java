package dev.firemesh.api.validation;

import dev.firemesh.api.resource.Resource;
import dev.firemesh.api.resource.ResourceKey;
import java.util.Map;
import java.util.Objects;

/**
 * A resource together with where it was written: the position of its document and of every field
 * that was present, keyed by field path ({@code spec.rules[0].destinations[1].subset}), so checks
 * made later (references, conflicts) can point at the exact place.
 */
public record ParsedResource(
    Resource resource, SourcePosition position, Map<String, SourcePosition> fieldPositions) {

  public ParsedResource {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(position, "position");
    fieldPositions = Map.copyOf(fieldPositions);
  }

  /** A resource that did not come from a file (e.g. built in code); {@code source} names it. */
  public static ParsedResource unpositioned(Resource resource, String source) {
    return new ParsedResource(resource, SourcePosition.of(source), Map.of());
  }

  public ResourceKey key() {
    return resource.key();
  }

  /**
   * Where {@code field} was written; for a field left out (a default), where its nearest written
   * parent was; failing that, the document.
   */
  public SourcePosition positionOf(String field) {
    String path = field;
    while (!path.isEmpty()) {
      SourcePosition found = fieldPositions.get(path);
      if (found != null) {
        return found;
      }
      path = parent(path);
    }
    return position;
  }

  private static String parent(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut <= 0 ? "" : path.substring(0, cut);
  }
}
