package dev.firemesh.control.admin;

import static dev.firemesh.control.admin.AdminServer.Access.OPERATOR_OR_WORKLOAD;
import static dev.firemesh.control.admin.AdminServer.Access.VIEWER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.api.config.ConfigSchema;
import dev.firemesh.api.config.EffectiveConfig;
import dev.firemesh.api.config.InvalidSchemaException;
import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.api.resource.Config;
import dev.firemesh.api.validation.Problem;
import dev.firemesh.api.validation.SourcePosition;
import dev.firemesh.control.catalog.ResourceCatalog;
import dev.firemesh.control.config.PublishedSchemas;
import dev.firemesh.control.operator.Principal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Service configuration on the admin API:
 *
 * <ul>
 *   <li>{@code PUT /v1/config-schemas/{service}}: publishes a service's config schema (the chassis
 *       does at start, with its SVID, for its own service only; an operator may too). The answer
 *       lists as {@code conflicts} what the Configs already stored break under the new schema: the
 *       schema is stored all the same, since it describes the code that is starting.
 *   <li>{@code GET /v1/config-schemas/{service}}: the published schema.
 *   <li>{@code GET /v1/config/{service}?env=&region=&instance=}: the values in force for such an
 *       instance, each with the layer it came from ({@code default} for the schema's), and the
 *       required values no layer sets.
 * </ul>
 */
public final class ConfigApi {
  private static final ObjectMapper JSON = AdminServer.JSON;

  private final ResourceCatalog catalog;
  private final PublishedSchemas schemas;

  public ConfigApi(ResourceCatalog catalog, PublishedSchemas schemas) {
    this.catalog = catalog;
    this.schemas = schemas;
  }

  public void registerOn(AdminServer server) {
    server
        .route("PUT", "/v1/config-schemas/{service}", OPERATOR_OR_WORKLOAD, this::publish)
        .route("GET", "/v1/config-schemas/{service}", VIEWER, this::schema)
        .route("GET", "/v1/config/{service}", VIEWER, this::effective);
  }

  private JsonNode publish(AdminRequest request) {
    String service = request.param("service");
    if (request.principal() instanceof Principal.Workload(SpiffeId workload)
        && !workload.service().equals(service)) {
      throw new ApiException(
          403,
          "forbidden",
          "workload:"
              + workload
              + " may publish the config schema of service "
              + workload.service()
              + " only, not of '"
              + service
              + "'");
    }
    ConfigSchema schema;
    try {
      schema = ConfigSchema.fromJson(new String(request.body(), StandardCharsets.UTF_8));
    } catch (InvalidSchemaException e) {
      throw invalidSchema(e.problems());
    }
    if (!schema.service().equals(service)) {
      throw invalidSchema(
          List.of(
              new Problem(
                  SourcePosition.NONE,
                  "service",
                  "the schema is of service '"
                      + schema.service()
                      + "', but is put at /v1/config-schemas/"
                      + service)));
    }
    PublishedSchemas.Published published = schemas.publish(schema, request.actor());
    ObjectNode answer = described(published);
    ArrayNode conflicts = answer.putArray("conflicts");
    for (Config config : configs(service)) {
      String source = EffectiveConfig.sourceOf(config);
      for (Problem p : schema.check(config.spec().values(), f -> SourcePosition.of(source))) {
        conflicts
            .addObject()
            .put("config", source)
            .put("field", p.field())
            .put("message", p.message());
      }
    }
    return answer;
  }

  private JsonNode schema(AdminRequest request) {
    String service = request.param("service");
    PublishedSchemas.Published published =
        schemas
            .published(service)
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "service " + service + " has published no config schema"));
    ObjectNode answer = described(published);
    answer.set("schema", parse(published.schema().toJson()));
    return answer;
  }

  private JsonNode effective(AdminRequest request) {
    String service = request.param("service");
    String env =
        request
            .queryParam("env")
            .orElseThrow(
                () -> ApiException.badRequest("query parameter env (an environment) is required"));
    String region = request.queryParam("region").orElse("");
    String instance = request.queryParam("instance").orElse("");
    long revision = catalog.head();
    EffectiveConfig layered =
        EffectiveConfig.of(configs(service), service, env, region, instance, revision);
    Optional<ConfigSchema> schema = schemas.schema(service);
    EffectiveConfig effective = schema.map(s -> layered.withDefaults(s.defaults())).orElse(layered);
    ObjectNode answer =
        JSON.createObjectNode()
            .put("service", service)
            .put("environment", env)
            .put("region", region)
            .put("instance", instance)
            .put("revision", revision)
            .put("schemaPublished", schema.isPresent());
    answer.set("values", tree(effective.values()));
    ObjectNode sources = answer.putObject("sources");
    new TreeMap<>(effective.sources()).forEach(sources::put);
    ArrayNode leaves = answer.putArray("leaves");
    Map<String, Object> flat = new TreeMap<>();
    flatten(effective.values(), "", flat);
    flat.forEach(
        (path, value) ->
            leaves
                .addObject()
                .put("path", path)
                .put("source", effective.sources().getOrDefault(path, ""))
                .set("value", tree(value)));
    ArrayNode missing = answer.putArray("missing");
    schema.ifPresent(s -> s.missing(effective.values()).forEach(missing::add));
    return answer;
  }

  private List<Config> configs(String service) {
    return catalog.currentResources().stream()
        .filter(r -> r instanceof Config c && c.spec().service().equals(service))
        .map(Config.class::cast)
        .sorted(Comparator.comparing(c -> c.metadata().name()))
        .toList();
  }

  private static ObjectNode described(PublishedSchemas.Published published) {
    return JSON.createObjectNode()
        .put("service", published.stored().service())
        .put("digest", published.stored().digest())
        .put("publishedAt", published.stored().publishedAt().toString())
        .put("publishedBy", published.stored().publishedBy());
  }

  /** Leaf paths as {@link EffectiveConfig#sources()} names them: maps are walked into. */
  private static void flatten(Map<?, ?> values, String prefix, Map<String, Object> out) {
    values.forEach(
        (key, value) -> {
          String path = prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key;
          if (value instanceof Map<?, ?> map) {
            flatten(map, path, out);
          } else {
            out.put(path, value);
          }
        });
  }

  /** A config value as JSON, decimals exactly as stored. */
  static JsonNode tree(Object value) {
    JsonNodeFactory f = JSON.getNodeFactory();
    return switch (value) {
      case String s -> f.textNode(s);
      case Boolean b -> f.booleanNode(b);
      case Long l -> f.numberNode(l);
      case BigDecimal d -> f.numberNode(d);
      case List<?> list -> {
        ArrayNode array = f.arrayNode();
        list.forEach(v -> array.add(tree(v)));
        yield array;
      }
      case Map<?, ?> map -> {
        ObjectNode object = f.objectNode();
        new TreeMap<>(map).forEach((k, v) -> object.set(String.valueOf(k), tree(v)));
        yield object;
      }
      default -> f.textNode(String.valueOf(value));
    };
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("a schema's JSON form is JSON", e);
    }
  }

  private static ApiException invalidSchema(List<Problem> problems) {
    ObjectNode detail = JSON.createObjectNode();
    ArrayNode list = detail.putArray("problems");
    for (Problem p : problems) {
      list.addObject().put("field", p.field()).put("message", p.message());
    }
    return new ApiException(
        400,
        "invalid_schema",
        "not a config schema: "
            + problems.stream().map(Problem::toString).reduce((a, b) -> a + "; " + b).orElse(""),
        detail);
  }
}
