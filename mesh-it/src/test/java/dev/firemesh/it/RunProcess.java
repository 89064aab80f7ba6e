package dev.firemesh.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code firemesh run} process (sidecar and supervisor) on ephemeral loopback ports. {@link
 * #start} returns once the sidecar is ready, which is when the app is started.
 */
final class RunProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path log;
  private final JsonNode ready;

  private RunProcess(Process process, Path log, JsonNode ready) {
    this.process = process;
    this.log = log;
    this.ready = ready;
  }

  /**
   * @param options {@code firemesh run} options besides the usual ones, then {@code --} and the
   *     app's command
   */
  static RunProcess start(
      Path controlDataDir, Path workDir, String service, String instanceId, List<String> options)
      throws Exception {
    Files.createDirectories(workDir);
    Path readyFile = workDir.resolve(instanceId + ".ready.json");
    Path log = workDir.resolve(instanceId + ".log");
    List<String> command =
        new ArrayList<>(
            ChildProcesses.firemesh(
                "128m",
                "run",
                "--data-dir",
                controlDataDir.toString(),
                "--service",
                service,
                "--instance-id",
                instanceId,
                "--outbound-port",
                "0",
                "--inbound-port",
                "0",
                "--admin-port",
                "0",
                "--lease-ttl",
                "5s",
                "--ready-file",
                readyFile.toString()));
    command.addAll(options);
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!Files.exists(readyFile)) {
      if (!process.isAlive() || Instant.now().isAfter(deadline)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "firemesh run " + instanceId + " did not start:\n" + Files.readString(log));
      }
      Thread.sleep(50);
    }
    return new RunProcess(process, log, JSON.readTree(readyFile.toFile()));
  }

  /** The command line of {@link SupervisedApp} in a JVM of its own. */
  static List<String> supervisedApp(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx64m");
    command.add("-XX:TieredStopAtLevel=1"); // starts faster; it serves a few requests
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(SupervisedApp.class.getName());
    command.addAll(List.of(args));
    return command;
  }

  InetSocketAddress outbound() {
    return address("outbound");
  }

  InetSocketAddress admin() {
    return address("admin");
  }

  /** {@code GET /app} on the sidecar's admin port: the supervised app's state. */
  JsonNode app() throws Exception {
    return JSON.readTree(adminPage("/app"));
  }

  String adminPage(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + admin().getPort() + path);
    return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  long pid() {
    return process.pid();
  }

  /** Waits for the process to exit on its own; returns its exit code. */
  int awaitExit(Duration within) throws InterruptedException {
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("firemesh run did not exit within " + within);
    }
    return process.exitValue();
  }

  /** SIGTERM, as an orchestrator stopping the instance; returns the exit code. */
  int terminate(Duration within) throws InterruptedException {
    process.destroy();
    return awaitExit(within);
  }

  /** SIGKILL: nothing of the process runs, its tether must stop the app. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  String log() throws Exception {
    return Files.readString(log);
  }

  private InetSocketAddress address(String which) {
    String hostPort = ready.path(which).asText();
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  @Override
  public void close() {
    ChildProcesses.stop(process, 30);
  }
}
