package dev.firemesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.cli.client.AdminClient;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "get",
    description = "Show resources: all of a kind, or one by name.",
    footer = {
      "%nKINDs: Service, Route, TrafficPolicy, AuthorizationPolicy, Config, RateLimit, Canary,"
          + " MutualTls (any case),"
          + " or all.",
      "%nExamples:",
      "  firemesh get all",
      "  firemesh get route",
      "  firemesh get route orders -o yaml",
      "  firemesh get ratelimit"
    })
final class GetCommand extends AdminCommand {
  @Parameters(index = "0", paramLabel = "KIND", description = "Resource kind, or 'all'.")
  String kind;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "Resource name.")
  String name;

  @Override
  int run(AdminClient client) {
    List<JsonNode> items = new ArrayList<>();
    if (name != null) {
      items.add(
          client.get("/v1/resources/" + AdminClient.encode(kind) + "/" + AdminClient.encode(name)));
    } else {
      String path =
          kind.equalsIgnoreCase("all")
              ? "/v1/resources"
              : "/v1/resources/" + AdminClient.encode(kind);
      client.get(path).path("items").forEach(items::add);
    }
    switch (output) {
      case json -> out.json(name != null ? items.getFirst() : arrayOf(items));
      case yaml -> out.yaml(items.stream().map(i -> i.path("resource")).toList());
      case table -> {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode item : items) {
          rows.add(
              List.of(
                  item.path("kind").asText(),
                  item.path("name").asText(),
                  Long.toString(item.path("revision").asLong()),
                  summary(item.path("resource"))));
        }
        out.table(List.of("KIND", "NAME", "REVISION", "SUMMARY"), rows);
      }
    }
    return 0;
  }

  private static JsonNode arrayOf(List<JsonNode> items) {
    var array = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    items.forEach(array::add);
    return array;
  }

  /** A one-line gist of the spec, so the table says something useful. */
  private static String summary(JsonNode resource) {
    JsonNode spec = resource.path("spec");
    return switch (resource.path("kind").asText()) {
      case "Service" -> {
        List<String> ports = new ArrayList<>();
        spec.path("ports")
            .forEach(p -> ports.add(p.path("port").asText() + "/" + p.path("protocol").asText()));
        List<String> subsets = new ArrayList<>();
        spec.path("subsets").forEach(s -> subsets.add(s.path("name").asText()));
        yield "ports "
            + String.join(",", ports)
            + (subsets.isEmpty() ? "" : "; subsets " + String.join(",", subsets));
      }
      case "Route", "RateLimit" ->
          "service "
              + spec.path("service").asText()
              + ", "
              + spec.path("rules").size()
              + " rule(s)";
      case "TrafficPolicy", "AuthorizationPolicy" -> "service " + spec.path("service").asText();
      case "MutualTls" ->
          spec.path("mode").asText()
              + (spec.has("service")
                  ? ", service " + spec.path("service").asText()
                  : ", mesh-wide");
      case "Config" ->
          "service " + spec.path("service").asText() + ", env " + spec.path("environment").asText();
      case "Canary" ->
          "Route "
              + spec.path("route").asText()
              + "/"
              + spec.path("rule").asText()
              + ", "
              + spec.path("stable").asText()
              + " -> "
              + spec.path("canary").asText()
              + ", steps "
              + spec.path("steps").toString();
      default -> "";
    };
  }
}
