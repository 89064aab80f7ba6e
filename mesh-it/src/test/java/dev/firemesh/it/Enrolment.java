package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Sidecars that join the mesh as an operator would have them: with a one-use join token. */
final class Enrolment {
  private Enrolment() {}

  /**
   * A sidecar of {@code service} (env prod) for the app on {@code appPort}, enrolled with a token
   * and without the admin token.
   */
  static SidecarProcess sidecar(
      ControlPlaneProcess control, Path work, String service, String instanceId, int appPort)
      throws Exception {
    return SidecarProcess.start(
        control.dataDir(), work, service, instanceId, enrolled(control, work, service, appPort));
  }

  /** {@code firemesh proxy} options for a sidecar of {@code service} (env prod) with a token. */
  private static List<String> enrolled(
      ControlPlaneProcess control, Path work, String service, int appPort) throws Exception {
    return List.of(
        "--app-port",
        Integer.toString(appPort),
        "--env",
        "prod",
        "--join-token-file",
        token(control, work, service).toString(),
        // An enrolled sidecar never needs the admin token: it enrols with the join token and
        // registers with its SVID. A token file that does not exist proves it.
        "--token-file",
        work.resolve("no-admin-token-here").toString());
  }

  /** A join token made with the CLI, in a file of its own (tokens are never arguments). */
  static Path token(ControlPlaneProcess control, Path work, String service) throws Exception {
    Cli.Result created =
        Cli.run(
            "token",
            "create",
            "--service",
            service,
            "--env",
            "prod",
            "--ttl",
            "10m",
            "--data-dir",
            control.dataDir().toString());
    assertThat(created.exitCode()).as(created.err()).isZero();
    String token =
        created
            .out()
            .lines()
            .map(String::strip)
            .filter(l -> l.startsWith("fmjt_"))
            .findFirst()
            .orElseThrow();
    Files.createDirectories(work);
    Path file = work.resolve(service + "-" + System.nanoTime() + ".token");
    Files.writeString(file, token + "\n");
    return file;
  }
}
