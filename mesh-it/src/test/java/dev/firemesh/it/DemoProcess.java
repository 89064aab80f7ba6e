package dev.firemesh.it;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.List;

/**
 * {@code firemesh demo} as a user runs it, in a child JVM on this test's class path: the control
 * plane on embedded PostgreSQL with the sample mesh applied, every sample service beside its own
 * sidecar and the traffic generator, each a process of its own, on free ports. Its banner and log
 * go to {@code demo.out} in the data directory, shown when it does not start. {@link #close} stops
 * it as Ctrl-C would (SIGTERM: the demo stops its children, then the control plane).
 */
final class DemoProcess implements AutoCloseable {
  private static final String UP = "FireMesh demo is up.";

  /** The demo's own wait for its processes is 90 s; PostgreSQL's first start comes before it. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  private final Path dataDir;
  private final Process process;
  private final Path out;

  private DemoProcess(Path dataDir, Process process, Path out) {
    this.dataDir = dataDir;
    this.process = process;
    this.out = out;
  }

  /**
   * Starts the demo with {@code config} (a directory of YAML) and the generator at {@code rate}
   * orders a second, and returns once its banner says it is up.
   */
  static DemoProcess start(Path dataDir, Path config, double rate) throws Exception {
    Files.createDirectories(dataDir);
    Path out = dataDir.resolve("demo.out");
    List<String> command =
        ChildProcesses.firemesh(
            "256m",
            "demo",
            "--data-dir",
            dataDir.toString(),
            "--config",
            config.toAbsolutePath().normalize().toString(),
            "--rate",
            Double.toString(rate),
            "--free-ports");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    DemoProcess demo = new DemoProcess(dataDir, process, out);
    try {
      demo.awaitUp();
    } catch (Exception | Error e) {
      demo.close();
      throw e;
    }
    return demo;
  }

  private void awaitUp() throws Exception {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (Files.readString(out).contains(UP)) {
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "firemesh demo exited with " + process.exitValue() + ":\n" + Files.readString(out));
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "firemesh demo not up in " + START_TIMEOUT + ":\n" + Files.readString(out));
  }

  Path dataDir() {
    return dataDir;
  }

  URI adminUrl() throws IOException {
    return URI.create(
        new ObjectMapper()
            .readTree(dataDir.resolve(ControlPlaneFiles.ADDRESSES).toFile())
            .path("admin")
            .asText());
  }

  /** The bootstrap admin's token, which the demo's banner tells a user to log in with. */
  String adminToken() throws IOException {
    return Files.readString(dataDir.resolve(ControlPlaneFiles.TOKEN)).strip();
  }

  /** The JDK's client, trusting the demo control plane's trust-bundle.pem and nothing else. */
  HttpClient https() throws IOException {
    List<X509Certificate> roots =
        Pem.decodeCertificates(Files.readString(dataDir.resolve(ControlPlaneFiles.TRUST_BUNDLE)));
    return HttpClient.newBuilder().sslContext(TestCa.context(roots, null)).build();
  }

  /** What the demo printed: its banner, and on the way out what it stopped. */
  String output() throws IOException {
    return Files.readString(out);
  }

  /** SIGTERM, as Ctrl-C: the demo stops its children (10 s grace each), then the control plane. */
  @Override
  public void close() {
    ChildProcesses.stop(process, 60);
  }
}
