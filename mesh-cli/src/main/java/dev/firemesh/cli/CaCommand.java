package dev.firemesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.cli.client.AdminClient;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "ca",
    description = {
      "The mesh's certificate authority: the root and intermediate that sign workload SVIDs."
    },
    subcommands = {CaCommand.Status.class},
    footer = {"%nExamples:", "  firemesh ca status", "  firemesh ca status -o json"})
final class CaCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "status",
      description = {
        "Each CA certificate: role, state, days left, fingerprint, and a warning when its end is"
            + " near (30 days, or 20%% of its lifetime if that comes first; see firemesh control"
            + " --ca-warn-before). Never key material."
      },
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
        "0:no warning",
        "1:the control plane refused the call",
        "2:bad local input",
        "3:the control plane could not be reached",
        "4:a CA certificate expires soon or has expired (the warning is printed)"
      },
      footer = {"%nExamples:", "  firemesh ca status", "  firemesh ca status || page-the-oncall"})
  static final class Status extends AdminCommand {
    static final int WARNING = 4;

    @Override
    int run(AdminClient client) {
      JsonNode answer = client.certificateAuthority();
      int exit = answer.path("warnings").asInt() > 0 ? WARNING : 0;
      if (printedAsData(answer)) {
        return exit;
      }
      out.line(
          "trust domain "
              + answer.path("trustDomain").asText()
              + ", SVIDs valid "
              + answer.path("svidTtlSeconds").asLong() / 60
              + " min");
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode c : answer.path("items")) {
        List<String> warnings = new ArrayList<>();
        c.path("warnings").forEach(w -> warnings.add(w.asText()));
        rows.add(
            List.of(
                c.path("role").asText(),
                c.path("state").asText(),
                c.path("subject").asText(),
                c.path("notAfter").asText(),
                Long.toString(c.path("daysLeft").asLong()),
                shortened(c.path("fingerprint").asText()),
                warnings.isEmpty() ? "-" : String.join("; ", warnings)));
      }
      out.table(
          List.of("ROLE", "STATE", "SUBJECT", "NOT AFTER (UTC)", "DAYS LEFT", "SHA-256", "WARNING"),
          rows);
      return exit;
    }

    /** The first 16 hex digits: enough to tell certificates apart; -o json has them all. */
    private static String shortened(String fingerprint) {
      return fingerprint.substring(0, Math.min(16, fingerprint.length()));
    }
  }
}
