package dev.firemesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firemesh.cli.client.AdminClient;
import dev.firemesh.control.ControlPlane;
import dev.firemesh.control.ControlPlaneFiles;
import dev.firemesh.store.Database;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The demo's control plane: a {@code firemesh control} process of its own, as in production, so
 * that a user can stop or kill it mid-demo and watch the sidecars keep serving with their last
 * configuration, then start it again ({@code firemesh control --data-dir ...}) and watch them
 * resync.
 */
final class DemoControlPlane implements AutoCloseable {
  private static final List<String> JVM = List.of("-Xmx256m", "-XX:+UseSerialGC");
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  private final ChildProcess process;
  private final Path dataDir;
  private final JsonNode addresses;

  private DemoControlPlane(ChildProcess process, Path dataDir, JsonNode addresses) {
    this.process = process;
    this.dataDir = dataDir;
    this.addresses = addresses;
  }

  /**
   * Starts the control plane on {@code options}' data directory and ports, and waits until it
   * serves (it writes {@code control.json} with its pid once its listeners are up).
   *
   * @throws TradingDemo.StartFailure if it exits or is not up within {@code timeout}
   */
  static DemoControlPlane start(ControlPlane.Options options, Path log, Duration timeout)
      throws IOException, InterruptedException {
    Path dataDir = options.dataDir().toAbsolutePath();
    Path info = dataDir.resolve(ControlPlaneFiles.ADDRESSES);
    Files.deleteIfExists(info);
    ChildProcess process =
        ChildProcess.start(
            "control plane",
            JVM,
            FireMesh.class.getName(),
            List.of(
                "control",
                "--data-dir",
                dataDir.toString(),
                "--admin-port",
                String.valueOf(options.adminAddress().getPort()),
                "--xds-port",
                String.valueOf(options.xdsAddress().getPort())),
            log);
    long deadline = System.nanoTime() + timeout.toNanos();
    ObjectMapper json = new ObjectMapper();
    while (true) {
      if (Files.exists(info)) {
        JsonNode addresses = json.readTree(info.toFile());
        if (addresses.path("pid").asLong() == process.pid()) {
          return new DemoControlPlane(process, dataDir, addresses);
        }
      }
      if (!process.alive() || System.nanoTime() - deadline > 0) {
        ChildProcess.stopAll(List.of(process), STOP_GRACE);
        throw new TradingDemo.StartFailure(
            "the control plane did not start; the end of " + log + ":\n" + process.logTail(15));
      }
      Thread.sleep(100);
    }
  }

  AdminClient client() throws IOException {
    return new AdminClient(AdminClient.bootstrapAdmin(URI.create(adminUrl()), dataDir));
  }

  /** The bootstrap admin's token, which also logs a browser in to the dashboard. */
  Path tokenFile() {
    return dataDir.resolve(ControlPlaneFiles.TOKEN);
  }

  String adminUrl() {
    return addresses.path("admin").asText();
  }

  int xdsPort() {
    String xds = addresses.path("xds").asText();
    return Integer.parseInt(xds.substring(xds.lastIndexOf(':') + 1));
  }

  String storeDescription() {
    return addresses.path("store").asText();
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.alive();
  }

  Path log() {
    return process.log();
  }

  /**
   * Stops the control plane (SIGTERM: it stops its PostgreSQL too). If the user killed it earlier
   * with SIGKILL, its PostgreSQL was left running: that one is stopped here.
   */
  @Override
  public void close() {
    ChildProcess.stopAll(List.of(process), STOP_GRACE);
    Database.reclaimEmbedded(dataDir);
  }
}
