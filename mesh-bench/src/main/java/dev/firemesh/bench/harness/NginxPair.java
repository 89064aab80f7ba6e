package dev.firemesh.bench.harness;

import dev.firemesh.bench.Protocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Two nginx processes (one worker each) as a sidecar pair. Upstream connections are kept alive
 * ({@code keepalive}, HTTP/1.1, no {@code Connection} header), without which nginx opens a
 * connection per request and looks far slower than it is (RECIPES.md).
 */
record NginxPair(boolean mtls) implements Scenario {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Override
  public String name() {
    return mtls ? "nginx-mtls" : "nginx";
  }

  @Override
  public Optional<String> unavailable(ScenarioContext context) {
    if (context.protocol() == Protocol.H2) {
      return Optional.of("nginx proxies to its upstream over HTTP/1.1 only: no HTTP/2 pair");
    }
    return Scenario.program("nginx").isPresent()
        ? Optional.empty()
        : Optional.of("nginx is not installed (apt-get install nginx-light)");
  }

  @Override
  public RunningPath start(ScenarioContext context) {
    Workspace ws = context.workspace();
    int outbound = Workspace.freePort();
    int inbound = Workspace.freePort();
    String peerScheme = "http";
    String clientTls = "";
    String serverTls = "";
    if (mtls) {
      PairCertificates tls = context.certificates();
      peerScheme = "https";
      clientTls =
          "      proxy_ssl_certificate "
              + tls.clientCert()
              + ";\n      proxy_ssl_certificate_key "
              + tls.clientKey()
              + ";\n      proxy_ssl_trusted_certificate "
              + tls.ca()
              + ";\n      proxy_ssl_verify on;\n      proxy_ssl_name echo;\n"
              + "      proxy_ssl_server_name on;\n      proxy_ssl_session_reuse on;\n";
      serverTls =
          " ssl;\n    ssl_certificate "
              + tls.serverCert()
              + ";\n    ssl_certificate_key "
              + tls.serverKey()
              + ";\n    ssl_client_certificate "
              + tls.ca()
              + ";\n    ssl_verify_client on";
    }
    Process callee =
        start(
            context,
            "callee",
            inbound,
            serverTls,
            "http",
            "127.0.0.1:" + context.upstream().getPort(),
            "");
    ws.awaitListening(
        name() + "-callee", callee, new InetSocketAddress("127.0.0.1", inbound), WAIT);
    Process caller =
        start(context, "caller", outbound, "", peerScheme, "127.0.0.1:" + inbound, clientTls);
    InetSocketAddress entry = new InetSocketAddress("127.0.0.1", outbound);
    ws.awaitListening(name() + "-caller", caller, entry, WAIT);
    ws.awaitRouting(name(), entry, "echo", WAIT);
    return new RunningPath(this, entry, "echo", List.of(caller.toHandle(), callee.toHandle()));
  }

  private Process start(
      ScenarioContext context,
      String side,
      int listen,
      String listenTls,
      String scheme,
      String next,
      String upstreamTls) {
    Workspace ws = context.workspace();
    String name = name() + "-" + side;
    Path dir = ws.file(name);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String config =
        "daemon off;\nworker_processes 1;\npid "
            + dir.resolve("nginx.pid")
            + ";\nerror_log "
            + dir.resolve("error.log")
            + " warn;\nevents { worker_connections 4096; }\nhttp {\n"
            + "  access_log off;\n"
            + "  client_body_temp_path "
            + dir.resolve("body")
            + ";\n  proxy_temp_path "
            + dir.resolve("proxy")
            + ";\n  client_body_buffer_size 64k;\n"
            + "  keepalive_requests 10000000;\n  keepalive_timeout 120s;\n"
            + "  upstream next { server "
            + next
            + "; keepalive 64; keepalive_requests 10000000; }\n"
            + "  server {\n    listen 127.0.0.1:"
            + listen
            + listenTls
            + ";\n    location / {\n      proxy_pass "
            + scheme
            + "://next;\n      proxy_http_version 1.1;\n"
            + "      proxy_set_header Connection \"\";\n      proxy_set_header Host echo;\n"
            + upstreamTls
            + "    }\n  }\n}\n";
    Path file = ws.write(name + ".conf", config);
    String nginx = Scenario.program("nginx").orElseThrow().toString();
    // -e: the error log before the configuration is read goes here too, not to /var/log
    return ws.start(
        name,
        context
            .placement()
            .pinProxies(
                List.of(
                    nginx, "-c", file.toString(), "-p", dir.toString(), "-e", dir + "/error.log")),
        Map.of());
  }
}
