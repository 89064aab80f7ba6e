package dev.firemesh.bench.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firemesh.bench.Protocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Two {@code firemesh proxy} sidecars, as users run them: a control plane (embedded PostgreSQL)
 * with the services {@code echo} and {@code bench-client}, the echo upstream's sidecar, and the
 * caller's sidecar whose outbound port the generator sends to with {@code Host: echo}. The request
 * crosses discovery, load balancing and both sidecars' HTTP stacks exactly as in production.
 */
record FireMeshPair() implements Scenario {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @Override
  public String name() {
    return "firemesh-mtls";
  }

  @Override
  public Optional<String> unavailable(ScenarioContext context) {
    if (context.fireMesh().isEmpty()) {
      return Optional.of("no FireMesh launcher given (run it as `firemesh bench`)");
    }
    return Optional.empty();
  }

  @Override
  public RunningPath start(ScenarioContext context) {
    Workspace ws = context.workspace();
    FireMeshLauncher launcher = context.fireMesh().orElseThrow();
    // the control plane is not under test: it runs where the load runs, away from the proxies
    ControlPlane controlPlane =
        ControlPlane.start(
            ws, launcher, name() + "-control", context.placement().pinLoad(List.of()));
    Path mesh =
        ws.write(
            name() + "-mesh.yaml",
            """
            apiVersion: firemesh.dev/v1
            kind: Service
            metadata: {name: echo}
            spec:
              ports: [{name: http, port: 8080, protocol: %s}]
            ---
            apiVersion: firemesh.dev/v1
            kind: Service
            metadata: {name: bench-client}
            spec:
              ports: [{name: http, port: 8080, protocol: http1}]
            """
                    .formatted(
                        // the sidecars speak HTTP/2 between each other to an http2 service port
                        context.protocol() == Protocol.H2 ? "http2" : "http1")
                // The echo side refuses anything but mTLS, so a plaintext hop would fail the run.
                + """
                  ---
                  apiVersion: firemesh.dev/v1
                  kind: MutualTls
                  metadata: {name: bench-strict}
                  spec: {mode: strict}
                  """);
    controlPlane.apply(ws, launcher, name() + "-apply", mesh);

    Process callee =
        sidecar(context, launcher, controlPlane, "echo", "echo-1", context.upstream().getPort());
    // The caller's app is the generator, which nobody calls back; the sidecar still wants a
    // listening app before it registers, so a socket stands in for it.
    Process caller =
        sidecar(context, launcher, controlPlane, "bench-client", "client-1", standInApp(ws));
    ControlPlane.awaitFile(ws, name() + "-client-1", caller, readyFile(ws, "client-1"));
    ControlPlane.awaitFile(ws, name() + "-echo-1", callee, readyFile(ws, "echo-1"));
    JsonNode callerReady = readJson(readyFile(ws, "client-1"));

    String[] outbound = callerReady.path("outbound").asText().split(":");
    InetSocketAddress entry = new InetSocketAddress(outbound[0], Integer.parseInt(outbound[1]));
    ws.awaitRouting(name(), entry, "echo", WAIT);
    return new RunningPath(this, entry, "echo", List.of(caller.toHandle(), callee.toHandle()));
  }

  private Process sidecar(
      ScenarioContext context,
      FireMeshLauncher launcher,
      ControlPlane controlPlane,
      String service,
      String id,
      int appPort) {
    List<String> command = new ArrayList<>(launcher.proxy());
    command.addAll(
        List.of(
            "proxy",
            "--data-dir",
            controlPlane.dataDir().toString(),
            "--service",
            service,
            "--instance-id",
            id,
            "--app-port",
            Integer.toString(appPort),
            "--outbound-port",
            "0",
            "--inbound-port",
            "0",
            "--admin-port",
            "0",
            // stopping at the end of a run needs no grace period
            "--drain-delay",
            "0s",
            "--drain-timeout",
            "2s",
            "--ready-file",
            readyFile(context.workspace(), id).toString()));
    // Every FireMesh sidecar is enrolled (the control plane serves xDS to no one else): with a
    // single-use join token each, as an operator would.
    command.addAll(
        List.of(
            "--env",
            "bench",
            "--join-token-file",
            controlPlane
                .joinToken(context.workspace(), launcher, name() + "-" + id, service)
                .toString()));
    return context
        .workspace()
        .start(
            name() + "-" + id,
            context.placement().pinProxies(command),
            launcher.proxyEnvironment());
  }

  private Path readyFile(Workspace ws, String id) {
    return ws.file(name() + "-" + id + ".ready.json");
  }

  private static int standInApp(Workspace ws) {
    try {
      ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      ws.onClose(socket);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode readJson(Path file) {
    try {
      return new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
