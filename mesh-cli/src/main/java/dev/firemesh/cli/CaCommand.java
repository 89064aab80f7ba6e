package dev.firemesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.cli.client.AdminClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "ca",
    description = {
      "The mesh's certificate authority: the root and intermediate that sign workload SVIDs."
    },
    subcommands = {CaCommand.Status.class, CaCommand.Rotate.class},
    footer = {
      "%nExamples:",
      "  firemesh ca status",
      "  firemesh ca status -o json",
      "  firemesh ca rotate prepare --root"
    })
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
      out.line(rotation(answer.path("rotation")));
      return exit;
    }

    /** One line on the rotation under way: its stage and what the next step waits for. */
    static String rotation(JsonNode r) {
      String stage = r.path("stage").asText("none");
      return switch (stage) {
        case "prepared" ->
            "rotation: prepared "
                + r.path("preparedAt").asText()
                + " by "
                + r.path("preparedBy").asText()
                + (r.has("newRoot")
                    ? " (new root " + shortened(r.path("newRoot").asText()) + ")"
                    : "")
                + ", new intermediate "
                + shortened(r.path("newIntermediate").asText())
                + " trusted; next: firemesh ca rotate activate (from "
                + r.path("activatableAt").asText()
                + ")";
        case "activated" ->
            "rotation: activated "
                + r.path("activatedAt").asText()
                + ", intermediate "
                + shortened(r.path("newIntermediate").asText())
                + " signs; "
                + r.path("oldSvidsLive").asLong()
                + " SVID(s) of the old intermediate still live"
                + (r.has("oldSvidsUntil")
                    ? " (until " + r.path("oldSvidsUntil").asText() + ")"
                    : "")
                + "; next: firemesh ca rotate finish";
        default -> "rotation: none under way";
      };
    }

    /** The first 16 hex digits: enough to tell certificates apart; -o json has them all. */
    static String shortened(String fingerprint) {
      return fingerprint.substring(0, Math.min(16, fingerprint.length()));
    }
  }

  @Command(
      name = "rotate",
      description = {
        "Rotate the CA without a restart or an outage, in three steps, each refused with the"
            + " reason when out of order:",
        "  prepare   a new intermediate (--root: and a new root, which joins the trust bundle at"
            + " once); trusted, not signing yet",
        "  activate  the new intermediate signs (with a new root: once the bundle has had time to"
            + " reach every workload); workloads renew onto it within about a minute",
        "  finish    retire the old intermediate (and root), once no SVID it signed is live",
        "firemesh ca status shows the stage and what the next step waits for."
      },
      subcommands = {Rotate.Prepare.class, Rotate.Activate.class, Rotate.Finish.class},
      footer = {
        "%nExamples:",
        "  firemesh ca rotate prepare --root",
        "  firemesh ca status",
        "  firemesh ca rotate activate",
        "  firemesh ca rotate finish"
      })
  static final class Rotate implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Prints a step's answer: its message, or the answer itself with -o json|yaml. */
    static int printed(AdminCommand command, JsonNode answer) {
      if (!command.printedAsData(answer)) {
        command.out.line(answer.path("message").asText());
        command.out.line(Status.rotation(answer.path("rotation")));
      }
      return 0;
    }

    @Command(
        name = "prepare",
        description = {
          "Make a new intermediate, signed by the current root, and store it as trusted (it does"
              + " not sign yet). With --root, a new root and an intermediate under it: the new"
              + " root joins the trust bundle now, and workloads receive it with their next"
              + " bundle poll (every 15 s) or renewal. Use your own certificates with"
              + " --intermediate-cert and --intermediate-key (and --root-cert with --root).",
          "Repeating it while the same rotation is prepared changes nothing."
        },
        footer = {
          "%nExamples:",
          "  firemesh ca rotate prepare",
          "  firemesh ca rotate prepare --root",
          "  firemesh ca rotate prepare --root --root-cert root2.pem \\",
          "      --intermediate-cert int2.pem --intermediate-key int2.key"
        })
    static final class Prepare extends AdminCommand {
      @Option(names = "--root", description = "Rotate the root as well.")
      boolean root;

      @Option(
          names = "--root-cert",
          paramLabel = "FILE",
          description = "With --root: your new root certificate, PEM (its key stays with you).")
      Path rootCert;

      @Option(
          names = "--intermediate-cert",
          paramLabel = "FILE",
          description = "Your new intermediate, PEM, signed by the new (or current) root.")
      Path intermediateCert;

      @Option(
          names = "--intermediate-key",
          paramLabel = "FILE",
          description =
              "Its private key, PEM PKCS#8 (sent to the control plane and stored sealed).")
      Path intermediateKey;

      @Override
      int run(AdminClient client) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("root", root);
        if (rootCert != null && !root) {
          throw new BadInputException("--root-cert needs --root");
        }
        if ((intermediateCert == null) != (intermediateKey == null)) {
          throw new BadInputException("--intermediate-cert and --intermediate-key go together");
        }
        if (rootCert != null && intermediateCert == null) {
          throw new BadInputException(
              "--root-cert needs --intermediate-cert and --intermediate-key (the intermediate"
                  + " your new root signed)");
        }
        if (rootCert != null) {
          body.put("rootCertificate", read(rootCert));
        }
        if (intermediateCert != null) {
          body.put("intermediateCertificate", read(intermediateCert));
          body.put("intermediateKey", read(intermediateKey));
        }
        return printed(this, client.post("/v1/ca/rotation/prepare", body));
      }

      private static String read(Path file) {
        try {
          return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
          throw new BadInputException("cannot read " + file + ": " + e.getMessage());
        }
      }
    }

    @Command(
        name = "activate",
        description = {
          "Make the prepared intermediate the one that signs; the old one stays trusted. With a"
              + " new root, refused until it has been in the trust bundle for the propagation"
              + " time (firemesh control --ca-bundle-propagation; firemesh ca status says when)."
              + " Workloads whose certificate the old intermediate signed renew within about a"
              + " minute. Repeating it changes nothing."
        },
        footer = {"%nExamples:", "  firemesh ca rotate activate"})
    static final class Activate extends AdminCommand {
      @Override
      int run(AdminClient client) {
        return printed(
            this, client.post("/v1/ca/rotation/activate", JsonNodeFactory.instance.objectNode()));
      }
    }

    @Command(
        name = "finish",
        description = {
          "Retire the old intermediate (and, after a root rotation, the old root, which leaves the"
              + " trust bundle). Refused while SVIDs it signed may still be presented (unexpired"
              + " and not yet renewed), unless --force."
        },
        footer = {
          "%nExamples:",
          "  firemesh ca rotate finish",
          "  firemesh ca rotate finish --force"
        })
    static final class Finish extends AdminCommand {
      @Option(
          names = "--force",
          description =
              "Retire even though SVIDs of the old intermediate are live: their workloads fail at"
                  + " peers that dropped the old root until they renew.")
      boolean force;

      @Override
      int run(AdminClient client) {
        return printed(
            this,
            client.post(
                "/v1/ca/rotation/finish",
                JsonNodeFactory.instance.objectNode().put("force", force)));
      }
    }
  }
}
