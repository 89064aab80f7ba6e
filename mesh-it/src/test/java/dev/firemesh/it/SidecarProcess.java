package dev.firemesh.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A real {@code firemesh proxy} process beside a local app, on ephemeral loopback ports. */
final class SidecarProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final JsonNode ready;

  private SidecarProcess(Process process, Path log, JsonNode ready) {
    this.process = process;
    this.log = log;
    this.ready = ready;
  }

  static SidecarProcess start(
      Path controlDataDir,
      Path workDir,
      String service,
      String instanceId,
      int appPort,
      String... labels)
      throws Exception {
    List<String> options = new ArrayList<>(List.of("--app-port", Integer.toString(appPort)));
    for (String label : labels) {
      options.add("-l");
      options.add(label);
    }
    return start(controlDataDir, workDir, service, instanceId, options);
  }

  /** A sidecar with {@code options} (at least {@code --app-port}) besides the usual ones. */
  static SidecarProcess start(
      Path controlDataDir, Path workDir, String service, String instanceId, List<String> options)
      throws Exception {
    return start(controlDataDir, workDir, service, instanceId, "128m", options);
  }

  /**
   * @param maxHeap the sidecar JVM's {@code -Xmx}
   * @param options {@code firemesh proxy} options besides the usual ones, at least {@code
   *     --app-port}; such as {@code --xds HOST:PORT}
   */
  static SidecarProcess start(
      Path controlDataDir,
      Path workDir,
      String service,
      String instanceId,
      String maxHeap,
      List<String> options)
      throws Exception {
    Files.createDirectories(workDir);
    Path readyFile = workDir.resolve(instanceId + ".ready.json");
    Path log = workDir.resolve(instanceId + ".log");
    List<String> command =
        new ArrayList<>(
            ChildProcesses.firemesh(
                maxHeap,
                "proxy",
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
            "sidecar " + instanceId + " did not start:\n" + Files.readString(log));
      }
      Thread.sleep(50);
    }
    return new SidecarProcess(process, log, new ObjectMapper().readTree(readyFile.toFile()));
  }

  InetSocketAddress outbound() {
    return address("outbound");
  }

  InetSocketAddress admin() {
    return address("admin");
  }

  InetSocketAddress inbound() {
    return address("inbound");
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Where the {@code --upstream} for {@code authority} ({@code service[:port]}) listens. */
  InetSocketAddress upstream(String authority) {
    return parse(ready.path("upstreams").path(authority).asText());
  }

  /** SIGKILL: the instance dies as in a crash, with requests in flight and nothing drained. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM, as an orchestrator stopping the instance; returns the exit code. */
  int terminate(Duration within) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("the sidecar did not exit within " + within);
    }
    return process.exitValue();
  }

  private InetSocketAddress address(String which) {
    return parse(ready.path(which).asText());
  }

  private static InetSocketAddress parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  String log() throws Exception {
    return Files.readString(log);
  }

  @Override
  public void close() {
    ChildProcesses.stop(process, 20);
  }
}
