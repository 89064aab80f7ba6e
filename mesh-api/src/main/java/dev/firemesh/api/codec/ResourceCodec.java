package dev.firemesh.api.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.api.resource.Resource;
import dev.firemesh.api.resource.ResourceKey;
import dev.firemesh.api.validation.InvalidResourceException;
import dev.firemesh.api.validation.ParsedResource;
import dev.firemesh.api.validation.Problem;
import dev.firemesh.api.validation.Problems;
import dev.firemesh.api.validation.SourcePosition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads resources from YAML or JSON and writes them back in canonical form.
 *
 * <p>Reading refuses a file whole: {@link InvalidResourceException} lists every problem (up to
 * {@link Problems#LIMIT}) with file, line, column and field. Writing is canonical: fields in a
 * fixed order (that of the records), maps sorted by key, defaults left out, durations in the
 * largest exact unit. For every valid resource {@code r}, {@code fromJson(toJson(r)).equals(r)} and
 * {@code parse(f, toYaml(r))} yields {@code r}; {@code toJson} is deterministic, so equal resources
 * give equal strings (the store may compare or hash them).
 *
 * <p>Thread-safe; all methods are static.
 */
public final class ResourceCodec {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ResourceCodec() {}

  /**
   * Reads every document of a YAML (or JSON) file. Documents are separated by {@code ---}; empty
   * ones are skipped, so an empty file gives an empty list.
   *
   * @param file the name used in problem positions, e.g. {@code orders.yaml}
   * @throws InvalidResourceException listing every problem of the file
   */
  public static List<ParsedResource> parse(String file, String text) {
    Problems problems = new Problems();
    List<ParsedResource> resources = YamlDocuments.read(file, text, problems);
    if (problems.isEmpty()) {
      checkUnique(resources, problems);
    }
    problems.throwIfAny();
    return List.copyOf(resources);
  }

  /** As {@link #parse(String, String)}, for raw bytes that must be UTF-8 (a BOM is allowed). */
  public static List<ParsedResource> parse(String file, byte[] content) {
    Problems problems = new Problems();
    Optional<String> text = YamlDocuments.decode(file, content, problems);
    problems.throwIfAny();
    return parse(file, text.orElseThrow());
  }

  /** Reads a file; problems name it as given ({@code path.toString()}). */
  public static List<ParsedResource> parse(Path path) throws IOException {
    return parse(path.toString(), Files.readAllBytes(path));
  }

  /** Reads exactly one resource from JSON (or YAML): the stored or admin-API form. */
  public static Resource fromJson(String json) {
    return single("json", json);
  }

  /** Reads a JSON tree such as the admin API receives; see {@link #fromJson(String)}. */
  public static Resource fromTree(JsonNode tree) {
    return single("json", tree.toString());
  }

  /** Canonical compact JSON. */
  public static String toJson(Resource resource) {
    try {
      return JSON.writeValueAsString(toTree(resource));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a resource tree always serialises", e);
    }
  }

  /**
   * The canonical form as a Jackson tree, for the admin API to embed in its responses. A fresh tree
   * each call; the caller may modify it.
   */
  public static ObjectNode toTree(Resource resource) {
    return ResourceBinder.write(resource);
  }

  /** One document in the shape a user writes, without a leading {@code ---}. */
  public static String toYaml(Resource resource) {
    return YamlOutput.write(toTree(resource));
  }

  /** Several documents separated by {@code ---} lines, in the given order. */
  public static String toYaml(List<? extends Resource> resources) {
    return resources.stream().map(ResourceCodec::toYaml).collect(Collectors.joining("---\n"));
  }

  private static Resource single(String source, String text) {
    List<ParsedResource> parsed = parse(source, text);
    if (parsed.size() != 1) {
      throw new InvalidResourceException(
          List.of(
              new Problem(
                  SourcePosition.of(source),
                  "",
                  "expected exactly one resource, got " + parsed.size())));
    }
    return parsed.getFirst().resource();
  }

  private static void checkUnique(List<ParsedResource> resources, Problems problems) {
    Map<ResourceKey, ParsedResource> seen = new HashMap<>();
    for (ParsedResource parsed : resources) {
      ParsedResource first = seen.putIfAbsent(parsed.key(), parsed);
      if (first != null) {
        problems.add(
            parsed.positionOf("metadata.name"),
            "metadata.name",
            parsed.key() + " is defined twice (first at line " + first.position().line() + ")");
      }
    }
  }
}
