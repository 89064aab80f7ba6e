package dev.firemesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.cli.client.AdminClient;
import dev.firemesh.identity.CertificateRequests;
import dev.firemesh.identity.KeyPairs;
import dev.firemesh.identity.Pem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "operator",
    description = {
      "Operators of the admin API with roles: viewer, operator, admin (admins only).",
      "viewer reads; operator also changes the mesh (apply, delete, rollback); admin may do"
          + " everything, operators and join tokens included.",
      "An operator authenticates with a token (shown once, at creation; the control plane keeps"
          + " a hash) or a client certificate from `operator certificate`. Every revision records"
          + " the operator who made it."
    },
    subcommands = {
      OperatorCommand.Create.class,
      OperatorCommand.ListOperators.class,
      OperatorCommand.Revoke.class,
      OperatorCommand.Certificate.class
    },
    footer = {
      "%nExamples:",
      "  firemesh operator create --name alice --role operator > alice.token",
      "  firemesh get routes --token-file alice.token",
      "  firemesh operator certificate --name alice --out ~/.firemesh/alice",
      "  firemesh get routes --client-cert ~/.firemesh/alice/cert.pem"
          + " --client-key ~/.firemesh/alice/key.pem",
      "  firemesh operator list",
      "  firemesh operator revoke alice"
    })
final class OperatorCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "create",
      description = {
        "Create an operator. The token alone goes to stdout (one line, for a file or a secret"
            + " store); who it is goes to stderr. With -o json, the whole answer goes to stdout."
      },
      footer = {
        "%nExamples:",
        "  firemesh operator create --name alice --role operator > alice.token",
        "  firemesh operator create --name ci --role viewer --ttl 30d"
      })
  static final class Create extends AdminCommand {
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "A DNS label.")
    String name;

    @Option(
        names = "--role",
        required = true,
        paramLabel = "ROLE",
        description = "viewer, operator or admin.")
    String role;

    @Option(
        names = "--ttl",
        paramLabel = "DURATION",
        description = "How long the token works: 12h, 30d; at most 366d (default: until revoked).")
    String ttl;

    @Override
    int run(AdminClient client) {
      var body = AdminClient.json().put("name", name).put("role", role);
      if (ttl != null) {
        body.put("ttlSeconds", TokenCommand.Create.ttl(ttl).toSeconds());
      }
      JsonNode answer = client.post("/v1/operators", body);
      if (printedAsData(answer)) {
        return 0;
      }
      out.line(answer.path("token").asText());
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "operator "
              + answer.path("name").asText()
              + " with role "
              + answer.path("role").asText()
              + (answer.has("expiresAt") ? ", expires " + answer.path("expiresAt").asText() : "")
              + " (token shown once; keep it secret)");
      err.flush();
      return 0;
    }
  }

  @Command(
      name = "list",
      description = "Every operator: role, state, who created it. Never tokens.",
      footer = {"%nExamples:", "  firemesh operator list", "  firemesh operator list -o json"})
  static final class ListOperators extends AdminCommand {
    @Override
    int run(AdminClient client) {
      JsonNode answer = client.get("/v1/operators");
      if (printedAsData(answer)) {
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode o : answer.path("items")) {
        rows.add(
            List.of(
                o.path("name").asText(),
                o.path("role").asText(),
                o.path("state").asText(),
                o.path("expiresAt").asText("-"),
                o.has("certificateIdentity") ? "yes" : "no",
                o.path("createdBy").asText()));
      }
      out.table(
          List.of("NAME", "ROLE", "STATE", "EXPIRES (UTC)", "CERTIFICATE", "CREATED BY"), rows);
      return 0;
    }
  }

  @Command(
      name = "revoke",
      description = "Revoke an operator: its token and client certificate stop working at once.",
      footer = {"%nExamples:", "  firemesh operator revoke alice"})
  static final class Revoke extends AdminCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The operator's name.")
    String name;

    @Override
    int run(AdminClient client) {
      JsonNode answer = client.delete("/v1/operators/" + AdminClient.encode(name));
      if (printedAsData(answer)) {
        return 0;
      }
      out.line("operator " + answer.path("name").asText() + " revoked");
      return 0;
    }
  }

  @Command(
      name = "certificate",
      description = {
        "Get a client certificate for an operator from the mesh CA. The key pair is made here and"
            + " its private key never leaves this machine: only a certificate request is sent.",
        "Writes DIR/key.pem (mode 0600), DIR/cert.pem (the chain) and DIR/trust-bundle.pem; use"
            + " them with --client-cert, --client-key and --ca-bundle."
      },
      footer = {
        "%nExamples:",
        "  firemesh operator certificate --name alice --out ~/.firemesh/alice --ttl 90d"
      })
  static final class Certificate extends AdminCommand {
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Operator.")
    String name;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "DIR",
        description = "Directory for key.pem, cert.pem and trust-bundle.pem (created).")
    Path outDir;

    @Option(
        names = "--ttl",
        paramLabel = "DURATION",
        defaultValue = "30d",
        description = "Certificate lifetime, at most 366d (default: ${DEFAULT-VALUE}).")
    String ttl;

    @Override
    int run(AdminClient client) {
      Path keyFile = outDir.resolve("key.pem");
      if (Files.exists(keyFile)) {
        throw new BadInputException(keyFile + " exists; choose another --out or remove it");
      }
      KeyPair keys = KeyPairs.generate();
      String csr = Pem.encodeCertificateRequest(CertificateRequests.createForKey(keys));
      JsonNode answer =
          client.post(
              "/v1/operators/" + AdminClient.encode(name) + "/certificate",
              AdminClient.json()
                  .put("csr", csr)
                  .put("ttlSeconds", TokenCommand.Create.ttl(ttl).toSeconds()));
      try {
        Files.createDirectories(outDir);
        Files.createFile(
            keyFile,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(
            keyFile, Pem.encodePrivateKey(keys.getPrivate()), StandardCharsets.US_ASCII);
        Files.writeString(
            outDir.resolve("cert.pem"),
            answer.path("certificateChain").asText(),
            StandardCharsets.US_ASCII);
        Files.writeString(
            outDir.resolve("trust-bundle.pem"),
            answer.path("trustBundle").asText(),
            StandardCharsets.US_ASCII);
      } catch (FileAlreadyExistsException e) {
        throw new BadInputException(keyFile + " exists; choose another --out or remove it");
      } catch (IOException e) {
        throw new BadInputException(
            "cannot write the certificate into " + outDir + ": " + BadInputException.reason(e));
      }
      if (printedAsData(answer)) {
        return 0;
      }
      out.line(
          "certificate for "
              + answer.path("identity").asText()
              + " until "
              + answer.path("notAfter").asText()
              + " in "
              + outDir);
      return 0;
    }
  }
}
