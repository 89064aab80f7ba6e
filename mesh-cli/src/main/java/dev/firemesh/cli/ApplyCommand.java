package dev.firemesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.cli.client.AdminClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "apply",
    description = {
      "Create or update resources from YAML files, as one revision.",
      "The batch is all or nothing: one invalid document and nothing is applied."
    },
    footer = {
      "%nExamples:",
      "  firemesh apply -f examples/trading/mesh/",
      "  firemesh apply -f orders-canary.yaml --dry-run",
      "  cat route.yaml | firemesh apply -f - -m \"shift 10%% to v2\""
    })
final class ApplyCommand extends AdminCommand {
  @Option(
      names = {"-f", "--filename"},
      required = true,
      paramLabel = "FILE|DIR|-",
      description =
          "A YAML file, a directory (every .yaml/.yml below it), or - for stdin. Repeatable.")
  List<String> files;

  @Option(
      names = "--dry-run",
      description = "Validate and show what would change, without applying anything.")
  boolean dryRun;

  @Option(
      names = {"-m", "--message"},
      paramLabel = "TEXT",
      description = "A note recorded with the revision.")
  String message = "";

  @Override
  int run(AdminClient client) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ArrayNode documents = body.putArray("files");
    for (Source source : read(files, System.in)) {
      documents.addObject().put("name", source.name()).put("content", source.content());
    }
    body.put("message", message);
    JsonNode answer = client.post("/v1/apply" + (dryRun ? "?dryRun=true" : ""), body);
    if (printedAsData(answer)) {
      return 0;
    }
    Changes.print(out, answer.path("changes"), dryRun);
    for (JsonNode warning : answer.path("warnings")) {
      spec.commandLine().getErr().println("warning: " + warning.asText());
    }
    spec.commandLine().getErr().flush();
    if (dryRun) {
      out.line("dry run: nothing applied");
    } else if (answer.path("unchanged").asBoolean()) {
      out.line("unchanged: revision " + answer.path("revision").asLong() + " already has this");
    } else {
      out.line("applied as revision " + answer.path("revision").asLong());
    }
    return 0;
  }

  /** A file to send: its name as given (problems are reported against it) and its text. */
  record Source(String name, String content) {}

  /**
   * Reads every {@code -f} argument, in order: a file; a directory, for every {@code .yaml} and
   * {@code .yml} file below it in path order; or {@code -}, for standard input (once).
   *
   * @throws BadInputException for a missing or unreadable file, a directory without YAML files, or
   *     {@code -} given twice
   */
  static List<Source> read(List<String> arguments, InputStream stdin) {
    List<Source> sources = new ArrayList<>();
    boolean stdinRead = false;
    for (String argument : arguments) {
      if (argument.equals("-")) {
        if (stdinRead) {
          throw new BadInputException("-f - (standard input) can be given only once");
        }
        stdinRead = true;
        try {
          sources.add(
              new Source("<stdin>", new String(stdin.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
          throw new BadInputException("cannot read standard input: " + BadInputException.reason(e));
        }
        continue;
      }
      Path path = Path.of(argument);
      if (Files.isDirectory(path)) {
        List<Path> yaml = yamlFilesUnder(path);
        if (yaml.isEmpty()) {
          throw new BadInputException("no .yaml or .yml files under " + path);
        }
        yaml.forEach(p -> sources.add(readFile(p)));
      } else {
        sources.add(readFile(path));
      }
    }
    return sources;
  }

  private static List<Path> yamlFilesUnder(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      IOException cause = e instanceof IOException io ? io : (IOException) e.getCause();
      throw BadInputException.cannotRead("directory ", dir, cause);
    }
  }

  private static Source readFile(Path path) {
    try {
      return new Source(path.toString(), Files.readString(path, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw BadInputException.cannotRead("", path, e);
    }
  }
}
