package dev.firemesh.cli;

import dev.firemesh.cli.client.AdminClient;
import dev.firemesh.control.ControlPlaneFiles;
import dev.firemesh.workload.admin.AdminCallException;
import dev.firemesh.workload.admin.AdminHttp;
import dev.firemesh.workload.admin.ClientTls;
import dev.firemesh.workload.admin.PlainJson;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import picocli.CommandLine.Option;

/**
 * How a command reaches the control plane: the admin address, the roots to trust for its HTTPS and
 * the credential (a token, or a client certificate), by default read from the files {@code firemesh
 * control} writes into its data directory.
 */
public final class Connection {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Control-plane data directory holding admin.token, control.json and trust-bundle.pem "
              + "(default: $FIREMESH_DATA_DIR or ~/.firemesh).")
  Path dataDir;

  @Option(
      names = "--server",
      paramLabel = "URL",
      description =
          "Admin API address (default: from <data-dir>/control.json, else https://127.0.0.1:7070).")
  URI server;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "File holding a bearer token: the bootstrap admin's or an operator's (default:"
              + " <data-dir>/admin.token, unless --client-cert is given).")
  Path tokenFile;

  @Option(
      names = "--ca-bundle",
      paramLabel = "FILE",
      description =
          "PEM roots to trust for the admin API's HTTPS (default: <data-dir>/trust-bundle.pem,"
              + " which the control plane writes; copy it to reach one on another machine).")
  Path caBundle;

  @Option(
      names = "--client-cert",
      paramLabel = "FILE",
      description =
          "PEM client certificate chain from `firemesh operator certificate` (with --client-key):"
              + " authenticates instead of a token.")
  Path clientCert;

  @Option(
      names = "--client-key",
      paramLabel = "FILE",
      description = "PKCS#8 PEM private key of --client-cert.")
  Path clientKey;

  /** Where the address came from, so a failed call can say what to check. */
  private sealed interface Origin {}

  private record FromOption() implements Origin {}

  private record FromAddressFile(OptionalLong pid) implements Origin {}

  /** No --server and no control.json: the default address was only a guess. */
  private record Guessed() implements Origin {}

  private Origin origin = new FromOption();

  public static Path defaultDataDir() {
    String env = System.getenv("FIREMESH_DATA_DIR");
    return env != null && !env.isBlank()
        ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".firemesh");
  }

  Path dataDir() {
    return dataDir != null ? dataDir : defaultDataDir();
  }

  /**
   * A client for the control plane these options name.
   *
   * @throws BadInputException if the token file cannot be read
   */
  public AdminClient client() {
    return new AdminClient(http());
  }

  /**
   * The same, as bytes: what a sidecar uses, so that its process never loads Jackson.
   *
   * @throws BadInputException if the token file cannot be read
   */
  AdminHttp http() {
    return http(true);
  }

  /**
   * The same without the admin token or an operator's certificate: what a workload uses to enrol
   * and, once enrolled, to register with its SVID ({@link RunningSidecar#registrationClient}).
   */
  AdminHttp workloadHttp() {
    return http(false);
  }

  private AdminHttp http(boolean operator) {
    Path dir = dataDir();
    URI base = server != null ? server : discoveredServer(dir);
    Optional<String> token =
        !operator || (clientCert != null && tokenFile == null) ? Optional.empty() : token(dir);
    Optional<ClientTls> tls = Optional.empty();
    if ("https".equalsIgnoreCase(base.getScheme())) {
      Path bundle = caBundle != null ? caBundle : dir.resolve(ControlPlaneFiles.TRUST_BUNDLE);
      try {
        tls =
            Optional.of(
                ClientTls.load(
                    bundle,
                    Optional.ofNullable(operator ? clientCert : null),
                    Optional.ofNullable(operator ? clientKey : null)));
      } catch (IOException e) {
        throw new BadInputException(
            "cannot read "
                + e.getMessage()
                + ": "
                + BadInputException.reason(e)
                + (caBundle != null
                    ? ""
                    : "; the control plane writes "
                        + bundle
                        + " at start; pass --ca-bundle for one on another machine"));
      } catch (IllegalArgumentException e) {
        throw new BadInputException(e.getMessage());
      }
    }
    return new AdminHttp(base, token, tls);
  }

  private Optional<String> token(Path dir) {
    Path token = tokenFile != null ? tokenFile : dir.resolve(ControlPlaneFiles.TOKEN);
    try {
      return Optional.of(ControlPlaneFiles.readToken(token));
    } catch (IOException e) {
      String hint =
          tokenFile != null
              ? ""
              : "; start `firemesh control --data-dir "
                  + dir
                  + "` first, or pass --data-dir, --token-file or --client-cert";
      throw new BadInputException(
          "cannot read the admin token " + token + ": " + BadInputException.reason(e) + hint);
    }
  }

  /**
   * A clearer message for a failed call, when where the call went explains the failure: no
   * control.json (the default address was a guess), or a control.json left by a process that is
   * gone.
   */
  Optional<String> explain(AdminCallException e) {
    Path dir = dataDir();
    return switch (origin) {
      case Guessed g when e.status() == 0 || e.status() == 401 ->
          Optional.of(
              "no control plane found for data dir "
                  + dir
                  + " (no "
                  + ControlPlaneFiles.ADDRESSES
                  + (e.status() == 401
                      ? "; the one at the default address belongs to another data dir"
                      : ", and nothing answers at the default address")
                  + "); is `firemesh control --data-dir "
                  + dir
                  + "` running?");
      case FromAddressFile(OptionalLong pid)
          when e.status() == 0 && pid.isPresent() && ProcessHandle.of(pid.getAsLong()).isEmpty() ->
          Optional.of(
              e.getMessage()
                  + "; "
                  + dir.resolve(ControlPlaneFiles.ADDRESSES)
                  + " names process "
                  + pid.getAsLong()
                  + ", which is not running (it stopped without cleaning up)");
      default -> Optional.empty();
    };
  }

  private URI discoveredServer(Path dir) {
    Path info = dir.resolve(ControlPlaneFiles.ADDRESSES);
    if (Files.isReadable(info)) {
      try {
        Object addresses = PlainJson.parse(Files.readString(info, StandardCharsets.UTF_8));
        if (PlainJson.member(addresses, "admin") instanceof String admin) {
          origin =
              new FromAddressFile(
                  PlainJson.member(addresses, "pid") instanceof Long pid
                      ? OptionalLong.of(pid)
                      : OptionalLong.empty());
          return URI.create(admin);
        }
      } catch (IOException | IllegalArgumentException e) {
        // An unreadable file falls back to the default address; the call then says if it fails.
      }
    }
    origin = new Guessed();
    return URI.create("https://127.0.0.1:" + ControlPlaneFiles.DEFAULT_ADMIN_PORT);
  }
}
