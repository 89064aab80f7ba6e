package dev.firemesh.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firemesh.cli.client.AdminClient;
import dev.firemesh.control.ControlPlaneFiles;
import dev.firemesh.control.admin.TestCa;
import dev.firemesh.identity.Pem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code firemesh control} process on ephemeral loopback ports, started from this test's
 * class path. Its output goes to a log file in the data directory, shown when a start fails.
 */
final class ControlPlaneProcess implements AutoCloseable {
  private final Path dataDir;
  private final Process process;
  private final Path log;

  private ControlPlaneProcess(Path dataDir, Process process, Path log) {
    this.dataDir = dataDir;
    this.process = process;
    this.log = log;
  }

  static ControlPlaneProcess start(Path dataDir, String... extraArgs) throws Exception {
    return startOnPorts(dataDir, 0, 0, extraArgs);
  }

  /** With fixed ports, so that sidecars find a restarted control plane where the first one was. */
  static ControlPlaneProcess startOnPorts(
      Path dataDir, int adminPort, int xdsPort, String... extraArgs) throws Exception {
    Files.createDirectories(dataDir);
    Files.deleteIfExists(dataDir.resolve(ControlPlaneFiles.ADDRESSES));
    Path log = dataDir.resolve("control-" + System.nanoTime() + ".log");
    List<String> command =
        new ArrayList<>(
            ChildProcesses.firemesh(
                "256m",
                "control",
                "--data-dir",
                dataDir.toString(),
                "--admin-port",
                Integer.toString(adminPort),
                "--xds-port",
                Integer.toString(xdsPort)));
    command.addAll(List.of(extraArgs));
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ControlPlaneProcess control = new ControlPlaneProcess(dataDir, process, log);
    control.awaitReady(Duration.ofSeconds(60));
    return control;
  }

  private void awaitReady(Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    Path addresses = dataDir.resolve(ControlPlaneFiles.ADDRESSES);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "control plane exited with " + process.exitValue() + ":\n" + Files.readString(log));
      }
      if (Files.exists(addresses)) {
        JsonNode info = new ObjectMapper().readTree(addresses.toFile());
        if (info.path("pid").asLong() == process.pid()) {
          return;
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "control plane not ready in " + timeout + ":\n" + Files.readString(log));
  }

  JsonNode addresses() throws IOException {
    return new ObjectMapper().readTree(dataDir.resolve(ControlPlaneFiles.ADDRESSES).toFile());
  }

  URI adminUrl() throws IOException {
    return URI.create(addresses().path("admin").asText());
  }

  int xdsPort() throws IOException {
    String xds = addresses().path("xds").asText();
    return Integer.parseInt(xds.substring(xds.lastIndexOf(':') + 1));
  }

  /** The bootstrap admin, trusting the control plane's trust-bundle.pem, as the CLI does. */
  AdminClient client() throws IOException {
    return new AdminClient(AdminClient.bootstrapAdmin(adminUrl(), dataDir));
  }

  /** The JDK's client, trusting the control plane's trust-bundle.pem and nothing else. */
  HttpClient https() throws IOException {
    List<X509Certificate> roots =
        Pem.decodeCertificates(Files.readString(dataDir.resolve(ControlPlaneFiles.TRUST_BUNDLE)));
    return HttpClient.newBuilder().sslContext(TestCa.context(roots, null)).build();
  }

  Path dataDir() {
    return dataDir;
  }

  long pid() {
    return process.pid();
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  /** SIGKILL: no shutdown hook runs, the embedded PostgreSQL is left orphaned. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() {
    ChildProcesses.stop(process, 30); // SIGTERM: graceful, stops the embedded PostgreSQL too
  }
}
