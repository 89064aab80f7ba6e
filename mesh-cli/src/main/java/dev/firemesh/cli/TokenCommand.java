package dev.firemesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.api.codec.Durations;
import dev.firemesh.cli.client.AdminClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "token",
    description = {
      "Join tokens: what a new workload shows the control plane to get its first SVID.",
      "A token names one service in one environment, lapses after its ttl and can be used a set"
          + " number of times. Its secret is shown once, at creation; the control plane keeps only"
          + " a hash."
    },
    subcommands = {
      TokenCommand.Create.class,
      TokenCommand.ListTokens.class,
      TokenCommand.Revoke.class
    },
    footer = {
      "%nExamples:",
      "  TOKEN=$(firemesh token create --service orders --env prod --ttl 1h)",
      "  firemesh proxy --join-token \"$TOKEN\" ...",
      "  firemesh token list",
      "  firemesh token revoke 3f9c0a1b2c3d4e5f"
    })
final class TokenCommand implements Runnable {
  private static final Pattern DAYS = Pattern.compile("([0-9]{1,4})d");

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "create",
      description = {
        "Create a join token. The token alone goes to stdout (one line, for scripts); what it"
            + " allows goes to stderr. With -o json, the whole answer goes to stdout."
      },
      footer = {
        "%nExamples:",
        "  firemesh token create --service orders --env prod",
        "  firemesh token create --service risk --env uat --ttl 7d --uses 3 -o json"
      })
  static final class Create extends AdminCommand {
    @Option(names = "--service", required = true, paramLabel = "NAME", description = "Service.")
    String service;

    @Option(names = "--env", required = true, paramLabel = "ENV", description = "Environment.")
    String env;

    @Option(
        names = "--ttl",
        paramLabel = "DURATION",
        defaultValue = "1h",
        description = "How long the token can be used: 30m, 1h, 7d; at most 30d (default: 1h).")
    String ttl;

    @Option(
        names = "--uses",
        paramLabel = "N",
        defaultValue = "1",
        description = "How many SVIDs it can get (default: 1).")
    int uses;

    @Override
    int run(AdminClient client) {
      JsonNode answer = client.createJoinToken(service, env, ttl(ttl), uses);
      if (printedAsData(answer)) {
        return 0;
      }
      out.line(answer.path("token").asText());
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "join token "
              + answer.path("id").asText()
              + " for service "
              + answer.path("service").asText()
              + " in env "
              + answer.path("env").asText()
              + ": "
              + answer.path("uses").asInt()
              + (answer.path("uses").asInt() == 1 ? " use" : " uses")
              + ", expires "
              + answer.path("expiresAt").asText()
              + " (shown once; keep it secret)");
      err.flush();
      return 0;
    }

    /** A duration as elsewhere ({@code 90m}, {@code 1h30m}), or whole days ({@code 7d}). */
    static Duration ttl(String text) {
      Matcher days = DAYS.matcher(text);
      if (days.matches()) {
        return Duration.ofDays(Long.parseLong(days.group(1)));
      }
      return Durations.parse(text)
          .orElseThrow(
              () ->
                  new BadInputException(
                      "--ttl: expected a duration such as 30m, 1h or 7d, got \"" + text + "\""));
    }
  }

  @Command(
      name = "list",
      description = "Every join token: what it is for, its state and uses. Never the secrets.",
      footer = {"%nExamples:", "  firemesh token list", "  firemesh token list -o json"})
  static final class ListTokens extends AdminCommand {
    @Override
    int run(AdminClient client) {
      JsonNode answer = client.joinTokens();
      if (printedAsData(answer)) {
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode t : answer.path("items")) {
        rows.add(
            List.of(
                t.path("id").asText(),
                t.path("service").asText(),
                t.path("env").asText(),
                t.path("state").asText(),
                t.path("uses").asInt() + "/" + t.path("maxUses").asInt(),
                t.path("expiresAt").asText(),
                t.path("createdBy").asText()));
      }
      out.table(
          List.of("ID", "SERVICE", "ENV", "STATE", "USES", "EXPIRES (UTC)", "CREATED BY"), rows);
      return 0;
    }
  }

  @Command(
      name = "revoke",
      description = "Revoke a join token: no SVID is issued with it from now on.",
      footer = {"%nExamples:", "  firemesh token revoke 3f9c0a1b2c3d4e5f"})
  static final class Revoke extends AdminCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The token's id (token list).")
    String id;

    @Override
    int run(AdminClient client) {
      JsonNode answer = client.revokeJoinToken(id);
      if (printedAsData(answer)) {
        return 0;
      }
      out.line("join token " + answer.path("id").asText() + " revoked");
      return 0;
    }
  }
}
