package dev.firemesh.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.cli.output.OutputFormat;
import dev.firemesh.cli.output.Printer;
import dev.firemesh.store.Database;
import dev.firemesh.store.StoreException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that reads (and for a few requests, writes) a chassis service's own store directly, not
 * through the control plane: {@code firemesh events ...}, {@code firemesh tasks}. The store is
 * {@code --store URL}, or the URL {@code firemesh demo} wrote for the service into {@code
 * <data-dir>/service-stores.json}; it is opened as it is, never migrated. Exit codes as for admin
 * commands: 1 when the store refused or the request failed, 2 for bad local input, 3 when the store
 * could not be opened or no instance answered a request in time.
 */
abstract class StoreCommand implements Callable<Integer> {
  static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  @Option(
      names = "--service",
      required = true,
      paramLabel = "NAME",
      description = "The service whose store to read.")
  String service;

  @Option(
      names = "--store",
      paramLabel = "URL",
      description =
          "The service's PostgreSQL: postgresql://[user[:password]@]host[:port]/db[?passwordFile=FILE]"
              + " (or the password in PGPASSWORD); default: the URL `firemesh demo` wrote for the"
              + " service into <data-dir>/service-stores.json.")
  String store;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "The demo's data directory, holding service-stores.json (default: $FIREMESH_DATA_DIR or"
              + " ~/.firemesh).")
  Path dataDir;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      defaultValue = "table")
  OutputFormat output;

  @Spec CommandSpec spec;

  Printer out;
  PrintWriter err;

  /** Where the store's URL came from, to say what to check when it cannot be opened. */
  private record Target(String url, String origin) {}

  @Override
  public final Integer call() {
    out = new Printer(spec.commandLine().getOut());
    err = spec.commandLine().getErr();
    Database database;
    try {
      Target target = target();
      try {
        database = Database.inspect(target.url());
      } catch (StoreException e) {
        return fail(AdminCommand.UNREACHABLE, e.getMessage() + " (" + target.origin() + ")");
      }
    } catch (BadInputException e) {
      return fail(AdminCommand.BAD_INPUT, e.getMessage());
    }
    try (database) {
      return run(database);
    } catch (BadInputException e) {
      return fail(AdminCommand.BAD_INPUT, e.getMessage());
    } catch (StoreException e) {
      return fail(AdminCommand.REFUSED, e.getMessage());
    }
  }

  /** Does the command's work on the opened store; answers the exit code. */
  abstract int run(Database database);

  /** Prints {@code error: message} on stderr; answers {@code code}. */
  int fail(int code, String message) {
    err.println("error: " + message);
    err.flush();
    return code;
  }

  /** Prints {@code answer} as {@code -o json} or {@code -o yaml} asks; false for a table. */
  boolean printedAsData(ObjectNode answer) {
    switch (output) {
      case json -> out.json(answer);
      case yaml -> out.yaml(java.util.List.of(answer));
      case table -> {
        return false;
      }
    }
    return true;
  }

  /** UTC, with microseconds: the precision the store records. */
  static String time(Instant instant) {
    return MICROS.format(instant);
  }

  static String time(Optional<Instant> instant) {
    return instant.map(StoreCommand::time).orElse("-");
  }

  /** Who the requests this command makes are recorded as made by. */
  static String requester() {
    return "cli:" + System.getProperty("user.name", "unknown");
  }

  /**
   * {@code url} with {@code password} (libpq's {@code PGPASSWORD}, which the JDBC driver does not
   * read) as its password, unless it gives one itself: in its user info, as {@code password} or as
   * {@code passwordFile}.
   */
  static String withPassword(String url, Optional<String> password) {
    boolean own =
        url.matches("^[a-z:]*//[^/@?]*:[^/@?]*@.*")
            || url.matches(".*[?&](password|passwordFile)=.*");
    if (own || password.isEmpty() || password.get().isEmpty()) {
      return url;
    }
    return url
        + (url.contains("?") ? "&" : "?")
        + "password="
        + URLEncoder.encode(password.get(), StandardCharsets.UTF_8).replace("+", "%20");
  }

  private Target target() {
    if (store != null) {
      return new Target(
          withPassword(store, Optional.ofNullable(System.getenv("PGPASSWORD"))), "from --store");
    }
    Path dir = dataDir != null ? dataDir : Connection.defaultDataDir();
    Path file = dir.resolve(DemoServiceStore.FILE);
    Optional<String> url;
    try {
      url = DemoServiceStore.lookup(dir, service);
    } catch (IOException e) {
      throw BadInputException.cannotRead("", file, e);
    }
    return url.map(
            u ->
                new Target(
                    u,
                    "the URL `firemesh demo` gave "
                        + service
                        + " in "
                        + file
                        + "; is the demo running?"))
        .orElseThrow(
            () ->
                new BadInputException(
                    "no store known for service "
                        + service
                        + ": pass --store URL, or --data-dir of a `firemesh demo` whose "
                        + DemoServiceStore.FILE
                        + " names it ("
                        + file
                        + (Files.exists(file) ? " does not name " + service : " does not exist")
                        + ")"));
  }
}
