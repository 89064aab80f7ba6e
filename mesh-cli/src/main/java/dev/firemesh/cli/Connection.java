package dev.firemesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firemesh.cli.client.AdminCallException;
import dev.firemesh.cli.client.AdminClient;
import dev.firemesh.control.ControlPlaneFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How a command reaches the control plane: the admin address and token, by default read from the
 * files {@code firemesh control} writes into its data directory.
 */
public final class Connection {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Control-plane data directory holding admin.token and control.json "
              + "(default: $FIREMESH_DATA_DIR or ~/.firemesh).")
  Path dataDir;

  @Option(
      names = "--server",
      paramLabel = "URL",
      description =
          "Admin API address (default: from <data-dir>/control.json, else http://127.0.0.1:7070).")
  URI server;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "File holding the admin bearer token (default: <data-dir>/admin.token).")
  Path tokenFile;

  public static Path defaultDataDir() {
    String env = System.getenv("FIREMESH_DATA_DIR");
    return env != null && !env.isBlank()
        ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".firemesh");
  }

  Path dataDir() {
    return dataDir != null ? dataDir : defaultDataDir();
  }

  public AdminClient client() {
    Path dir = dataDir();
    URI base = server != null ? server : discoveredServer(dir);
    Path token = tokenFile != null ? tokenFile : dir.resolve(ControlPlaneFiles.TOKEN);
    try {
      return new AdminClient(base, ControlPlaneFiles.readToken(token));
    } catch (IOException e) {
      throw new AdminCallException(
          "cannot read the admin token "
              + token
              + " ("
              + e.getMessage()
              + "); start `firemesh control` first, or pass --data-dir or --token-file");
    }
  }

  private static URI discoveredServer(Path dir) {
    Path info = dir.resolve(ControlPlaneFiles.ADDRESSES);
    if (Files.isReadable(info)) {
      try {
        JsonNode node = new ObjectMapper().readTree(info.toFile());
        if (node.hasNonNull("admin")) {
          return URI.create(node.get("admin").asText());
        }
      } catch (IOException | IllegalArgumentException e) {
        // An unreadable file falls back to the default address; the call then says if it fails.
      }
    }
    return URI.create("http://127.0.0.1:" + ControlPlaneFiles.DEFAULT_ADMIN_PORT);
  }
}
