package dev.firemesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.cli.client.AdminClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "canary",
    description = {
      "Progressive delivery: see where each Canary stands.",
      "A Canary is a resource (firemesh apply -f canary.yaml); the control plane shifts its"
          + " Route rule's weight step by step, judges each step from the callers' sidecars'"
          + " metrics and rolls back by itself. Each weight change is a revision in"
          + " 'firemesh history'."
    },
    subcommands = {CanaryCommand.Status.class},
    footer = {
      "%nExamples:",
      "  firemesh apply -f examples/trading/rollouts/orders-v2-canary.yaml",
      "  firemesh canary status",
      "  firemesh canary status orders-v2"
    })
final class CanaryCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "status",
      description = {
        "Each Canary's state, step, weights and last decision with its figures; with NAME, that"
            + " Canary's every decision.",
        "States: pending (not started yet), progressing, held (too few canary requests to"
            + " judge), promoted, failed (rolled back, or could not go on)."
      },
      footer = {
        "%nExamples:",
        "  firemesh canary status",
        "  firemesh canary status orders-v2",
        "  firemesh canary status orders-v2 -o json"
      })
  static final class Status extends AdminCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "A Canary.")
    String name;

    @Override
    int run(AdminClient client) {
      JsonNode answer =
          name == null
              ? client.get("/v1/canaries")
              : client.get("/v1/canaries/" + AdminClient.encode(name));
      if (printedAsData(answer)) {
        return 0;
      }
      if (name == null) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode c : answer.path("items")) {
          JsonNode last = c.path("lastDecision");
          rows.add(
              List.of(
                  c.path("name").asText(),
                  c.path("state").asText(),
                  c.path("step").asInt() + "/" + c.path("totalSteps").asInt(),
                  weights(c),
                  last.path("decision").asText("-"),
                  figures(last),
                  c.path("reason").asText("")));
        }
        out.table(
            List.of("NAME", "STATE", "STEP", "WEIGHTS", "LAST DECISION", "FIGURES", "REASON"),
            rows);
        return 0;
      }
      out.table(
          List.of("CANARY", "SERVICE", "ROUTE/RULE", "STATE", "STEP", "WEIGHTS"),
          List.of(
              List.of(
                  answer.path("name").asText(),
                  answer.path("service").asText(),
                  answer.path("route").asText() + "/" + answer.path("rule").asText(),
                  answer.path("state").asText(),
                  answer.path("step").asInt() + "/" + answer.path("totalSteps").asInt(),
                  weights(answer))));
      if (!answer.path("reason").asText("").isEmpty()) {
        out.line("");
        out.line("reason: " + answer.path("reason").asText());
      }
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode d : answer.path("decisions")) {
        rows.add(
            List.of(
                d.path("at").asText(),
                Integer.toString(d.path("step").asInt()),
                d.path("weight").asInt() + "%",
                d.path("decision").asText(),
                figures(d),
                d.has("revision") ? Long.toString(d.path("revision").asLong()) : "-",
                d.path("reason").asText()));
      }
      out.line("");
      out.table(
          List.of("TIME (UTC)", "STEP", "WEIGHT", "DECISION", "FIGURES", "REVISION", "REASON"),
          rows);
      return 0;
    }

    private static String weights(JsonNode canary) {
      JsonNode weights = canary.path("weights");
      if (weights.isMissingNode()) {
        return "-";
      }
      String stable = canary.path("stable").asText();
      String next = canary.path("canary").asText();
      return stable
          + " "
          + weights.path(stable).asInt()
          + "% / "
          + next
          + " "
          + weights.path(next).asInt()
          + "%";
    }

    /** Errors and p99 of both versions, the figures a decision was taken on. */
    private static String figures(JsonNode decision) {
      if (decision.isMissingNode()
          || decision.path("canary").path("requests").asLong() == 0
              && decision.path("stable").path("requests").asLong() == 0) {
        return "-";
      }
      return "canary "
          + version(decision.path("canary"))
          + "; stable "
          + version(decision.path("stable"));
    }

    private static String version(JsonNode v) {
      String p99 =
          v.has("p99Millis")
              ? String.format(Locale.ROOT, " p99 %.1fms", v.path("p99Millis").asDouble())
              : "";
      return String.format(
              Locale.ROOT,
              "%.2f%% of %d",
              v.path("errorRate").asDouble(),
              v.path("requests").asLong())
          + p99;
    }
  }
}
