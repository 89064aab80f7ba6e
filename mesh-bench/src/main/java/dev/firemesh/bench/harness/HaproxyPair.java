package dev.firemesh.bench.harness;

import dev.firemesh.bench.Protocol;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Two HAProxy processes as a sidecar pair: the caller's (plain HTTP in from the generator, out to
 * the peer) and the callee's (in from the peer, out to the echo upstream), one thread each,
 * connections reused, logging off: HAProxy at its best as a sidecar (RECIPES.md).
 */
record HaproxyPair(boolean mtls) implements Scenario {
  @Override
  public String name() {
    return mtls ? "haproxy-mtls" : "haproxy";
  }

  @Override
  public Optional<String> unavailable(ScenarioContext context) {
    return Scenario.program("haproxy").isPresent()
        ? Optional.empty()
        : Optional.of("haproxy is not installed (apt-get install haproxy)");
  }

  @Override
  public RunningPath start(ScenarioContext context) {
    Workspace ws = context.workspace();
    String haproxy = Scenario.program("haproxy").orElseThrow().toString();
    int outbound = Workspace.freePort();
    int inbound = Workspace.freePort();
    String upstream = "127.0.0.1:" + context.upstream().getPort();
    // HAProxy takes h2c prior knowledge on a plain HTTP bind by itself; the hops it opens speak
    // HTTP/2 only when told to
    boolean h2 = context.protocol() == Protocol.H2;
    String nextHop = h2 ? " proto h2" : "";
    String clientTls = "";
    String serverTls = "";
    if (mtls) {
      PairCertificates tls = context.certificates();
      clientTls =
          " ssl crt "
              + tls.clientPem()
              + " ca-file "
              + tls.ca()
              + " verify required sni str(echo)"
              + (h2 ? " alpn h2" : "");
      serverTls =
          " ssl crt "
              + tls.serverPem()
              + " ca-file "
              + tls.ca()
              + " verify required"
              + (h2 ? " alpn h2,http/1.1" : "");
    }
    String caller =
        config(name() + "-caller")
            + "frontend outbound\n  bind 127.0.0.1:"
            + outbound
            + "\n  default_backend peer\n"
            + "backend peer\n  server callee 127.0.0.1:"
            + inbound
            + clientTls
            + nextHop
            + "\n";
    String callee =
        config(name() + "-callee")
            + "frontend inbound\n  bind 127.0.0.1:"
            + inbound
            + serverTls
            + "\n  default_backend app\n"
            + "backend app\n  server echo "
            + upstream
            + nextHop
            + "\n";
    Process calleeProcess = start(context, haproxy, "callee", callee);
    ws.awaitListening(
        name() + "-callee", calleeProcess, new InetSocketAddress("127.0.0.1", inbound), WAIT);
    Process callerProcess = start(context, haproxy, "caller", caller);
    InetSocketAddress entry = new InetSocketAddress("127.0.0.1", outbound);
    ws.awaitListening(name() + "-caller", callerProcess, entry, WAIT);
    ws.awaitRouting(name(), entry, "echo", WAIT);
    return new RunningPath(
        this, entry, "echo", List.of(callerProcess.toHandle(), calleeProcess.toHandle()));
  }

  private static final Duration WAIT = Duration.ofSeconds(20);

  private Process start(ScenarioContext context, String haproxy, String side, String config) {
    String name = name() + "-" + side;
    var file = context.workspace().write(name + ".cfg", config);
    // -db: stay in the foreground, one process, so its PID is the proxy measured
    return context
        .workspace()
        .start(
            name,
            context.placement().pinProxies(List.of(haproxy, "-db", "-f", file.toString())),
            Map.of());
  }

  private static String config(String name) {
    return "global\n  nbthread 1\n  maxconn 4000\n  tune.ssl.default-dh-param 2048\n"
        + "defaults\n  mode http\n  timeout connect 2s\n  timeout client 60s\n"
        + "  timeout server 60s\n  timeout http-keep-alive 60s\n  http-reuse always\n"
        + "  option http-keep-alive\n  # "
        + name
        + "\n";
  }
}
