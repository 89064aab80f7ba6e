package dev.firemesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.cli.client.AdminClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "config",
    description = {
      "A service's configuration: effective values with their sources, and its schema.",
      "Values are Config resources (firemesh apply -f), layered: defaults in code < environment"
          + " < region < instance. Each change is a revision ('firemesh history', 'firemesh"
          + " rollback')."
    },
    subcommands = {ConfigCommand.Get.class, ConfigCommand.Schema.class},
    footer = {
      "%nExamples:",
      "  firemesh config get --service orders --env prod",
      "  firemesh config get --service orders --env prod --region eu --instance orders-1",
      "  firemesh config schema --service orders"
    })
final class ConfigCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "get",
      description = {
        "The effective values for an instance of a service: each leaf path, its value and its"
            + " source (the Config that set it, or 'default' for the default in code).",
        "Required values that no layer sets are listed as missing."
      },
      footer = {
        "%nExamples:",
        "  firemesh config get --service orders --env prod",
        "  firemesh config get --service orders --env prod --instance orders-1 -o json"
      })
  static final class Get extends AdminCommand {
    @Option(names = "--service", required = true, paramLabel = "SERVICE")
    String service;

    @Option(names = "--env", required = true, paramLabel = "ENV", description = "Environment.")
    String env;

    @Option(names = "--region", paramLabel = "REGION", description = "Region (default: none).")
    String region = "";

    @Option(names = "--instance", paramLabel = "ID", description = "Instance id (default: none).")
    String instance = "";

    @Override
    int run(AdminClient client) {
      JsonNode answer =
          client.get(
              "/v1/config/"
                  + AdminClient.encode(service)
                  + "?env="
                  + query(env)
                  + (region.isEmpty() ? "" : "&region=" + query(region))
                  + (instance.isEmpty() ? "" : "&instance=" + query(instance)));
      if (printedAsData(answer)) {
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode leaf : answer.path("leaves")) {
        rows.add(
            List.of(
                leaf.path("path").asText(),
                leaf.path("value").isTextual()
                    ? leaf.path("value").asText()
                    : leaf.path("value").toString(),
                leaf.path("source").asText()));
      }
      for (JsonNode path : answer.path("missing")) {
        rows.add(List.of(path.asText(), "(missing: required, no layer sets it)", "-"));
      }
      out.table(List.of("PATH", "VALUE", "SOURCE"), rows);
      if (!answer.path("schemaPublished").asBoolean()) {
        out.line(
            "(service "
                + service
                + " has published no config schema: defaults and missing values are unknown)");
      }
      return 0;
    }
  }

  @Command(
      name = "schema",
      description = "The config schema the service published (its config record's shape).",
      footer = {"%nExample:", "  firemesh config schema --service orders -o json"})
  static final class Schema extends AdminCommand {
    @Option(names = "--service", required = true, paramLabel = "SERVICE")
    String service;

    @Override
    int run(AdminClient client) {
      JsonNode answer = client.get("/v1/config-schemas/" + AdminClient.encode(service));
      if (printedAsData(answer)) {
        return 0;
      }
      out.line(
          "published "
              + answer.path("publishedAt").asText()
              + " by "
              + answer.path("publishedBy").asText()
              + " (digest "
              + answer.path("digest").asText()
              + ")");
      List<List<String>> rows = new ArrayList<>();
      fields(answer.path("schema").path("root"), "", rows);
      out.table(List.of("PATH", "TYPE", "REQUIRED", "DEFAULT", "CONSTRAINTS"), rows);
      return 0;
    }

    private static void fields(JsonNode object, String prefix, List<List<String>> rows) {
      object
          .path("fields")
          .fields()
          .forEachRemaining(
              e -> {
                String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
                JsonNode node = e.getValue();
                rows.add(
                    List.of(
                        path,
                        type(node),
                        node.path("required").asBoolean() ? "yes" : "no",
                        node.has("default") ? node.get("default").toString() : "-",
                        constraints(node)));
                if (node.path("type").asText().equals("object")) {
                  fields(node, path, rows);
                }
              });
    }

    private static String type(JsonNode node) {
      String type = node.path("type").asText();
      return type.equals("list") ? "list of " + type(node.path("element")) : type;
    }

    private static String constraints(JsonNode node) {
      List<String> parts = new ArrayList<>();
      if (node.has("min")) {
        parts.add("min " + node.get("min").asText());
      }
      if (node.has("max")) {
        parts.add("max " + node.get("max").asText());
      }
      if (node.has("pattern")) {
        parts.add("pattern " + node.get("pattern").asText());
      }
      if (node.has("minSize")) {
        parts.add("minSize " + node.get("minSize").asText());
      }
      if (node.has("maxSize")) {
        parts.add("maxSize " + node.get("maxSize").asText());
      }
      if (node.has("values")) {
        List<String> values = new ArrayList<>();
        node.get("values").forEach(v -> values.add(v.asText()));
        parts.add("one of " + String.join("|", values));
      }
      return parts.isEmpty() ? "-" : String.join(", ", parts);
    }
  }

  private static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
