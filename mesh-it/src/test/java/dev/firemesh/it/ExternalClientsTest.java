package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firemesh.xds.server.IdentityServer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mesh as outside tools see it, through real {@code firemesh} processes: curl (HTTP/1.1 proxy
 * and HTTP/2 prior knowledge), h2load (many multiplexed HTTP/2 streams), a grpc-java client and
 * server, and hand-written malformed requests that must be refused without hurting the sidecar.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExternalClientsTest {
  @TempDir static Path tmp;
  private final Closer closer = new Closer();
  private SidecarProcess gateway;

  @BeforeAll
  void startMesh() throws Exception {
    ControlPlaneProcess control = closer.add(ControlPlaneProcess.start(tmp.resolve("control")));
    control
        .client()
        .post(
            "/v1/apply",
            ChildProcesses.applyBody(
                "mesh.yaml",
                """
                apiVersion: firemesh.dev/v1
                kind: Service
                metadata: {name: orders}
                spec:
                  ports: [{name: http, port: 8080, protocol: http1}]
                ---
                apiVersion: firemesh.dev/v1
                kind: Service
                metadata: {name: identity}
                spec:
                  ports: [{name: grpc, port: 50051, protocol: grpc}]
                ---
                apiVersion: firemesh.dev/v1
                kind: Service
                metadata: {name: gateway}
                spec:
                  ports: [{name: http, port: 8080, protocol: http1}]
                """));
    Path work = tmp.resolve("sidecars");
    LocalApp orders = closer.add(LocalApp.start("orders-1"));
    IdentityServer identity = closer.add(IdentityServer.start("identity-1"));
    LocalApp gatewayApp = closer.add(LocalApp.start("gateway-1"));
    gateway =
        closer
            .add(new Fleet())
            .startTogether(
                List.of(
                    Fleet.sidecar(
                        control.dataDir(), work, "gateway", "gateway-1", gatewayApp.port()),
                    Fleet.sidecar(control.dataDir(), work, "orders", "orders-1", orders.port()),
                    Fleet.sidecar(
                        control.dataDir(), work, "identity", "identity-1", identity.port())))
            .getFirst();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> curl("-x", proxyUrl(), "http://orders/who").equals("orders-1"));
  }

  @AfterAll
  void stopMesh() throws Exception {
    closer.close();
  }

  @Test
  void curlUsesTheSidecarAsItsHttpProxy() throws Exception {
    assertThat(curl("-x", proxyUrl(), "http://orders/who")).isEqualTo("orders-1");
    assertThat(curl("-x", proxyUrl(), "-o", "/dev/null", "-w", "%{http_code}", "http://nowhere/"))
        .isEqualTo("404");
  }

  @Test
  void curlSpeaksHttp2WithPriorKnowledgeNamingTheServiceInTheAuthority() throws Exception {
    assertThat(
            curl(
                "--http2-prior-knowledge",
                "-w",
                " %{http_version}",
                "-H",
                "Host: orders",
                "http://" + hostPort(gateway.outbound()) + "/who"))
        .isEqualTo("orders-1 2");
  }

  @Test
  void h2loadsMultiplexedStreamsAllSucceed() throws Exception {
    String report =
        run(
            List.of(
                "h2load",
                "-n",
                "3000",
                "-c",
                "4",
                "-m",
                "16",
                "-H",
                ":authority: orders",
                "http://" + hostPort(gateway.outbound()) + "/who"));
    assertThat(count(report, "requests: \\d+ total, \\d+ started, \\d+ done, (\\d+) succeeded"))
        .as(report)
        .isEqualTo(3000);
    assertThat(count(report, "status codes: (\\d+) 2xx")).as(report).isEqualTo(3000);
  }

  @Test
  void aGrpcJavaClientReachesAGrpcJavaServerByName() throws Exception {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", gateway.outbound().getPort())
            .usePlaintext()
            .overrideAuthority("identity")
            .build();
    try {
      for (int i = 0; i < 20; i++) {
        assertThat(IdentityServer.who(channel)).isEqualTo("identity-1");
      }
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void malformedAndOversizedRequestsAreRefusedAndTheSidecarKeepsServing() throws Exception {
    String smuggled =
        "POST /who HTTP/1.1\r\nHost: orders\r\nContent-Length: 4\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    String duplicateLength =
        "POST /who HTTP/1.1\r\nHost: orders\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcd";
    String badLength = "POST /who HTTP/1.1\r\nHost: orders\r\nContent-Length: +4\r\n\r\nabcd";
    String obsFold = "GET /who HTTP/1.1\r\nHost: orders\r\nX-A: one\r\n  two\r\n\r\n";
    String badHeaderByte = "GET /who HTTP/1.1\r\nHost: orders\r\nX-A: a\u0001b\r\n\r\n";
    String tooManyHeaders =
        "GET /who HTTP/1.1\r\nHost: orders\r\n" + "X-Many: 1\r\n".repeat(150) + "\r\n";
    String hugeHeader =
        "GET /who HTTP/1.1\r\nHost: orders\r\nX-Big: " + "a".repeat(40_000) + "\r\n\r\n";

    assertThat(statusOf(smuggled)).isEqualTo(400);
    assertThat(statusOf(duplicateLength)).isEqualTo(400);
    assertThat(statusOf(badLength)).isEqualTo(400);
    assertThat(statusOf(obsFold)).isEqualTo(400);
    assertThat(statusOf(badHeaderByte)).isEqualTo(400);
    assertThat(statusOf(tooManyHeaders)).isEqualTo(431);
    assertThat(statusOf(hugeHeader)).isEqualTo(431);
    assertThat(statusOf("GARBAGE\r\n\r\n")).isEqualTo(400);

    assertThat(gateway.alive()).isTrue();
    assertThat(curl("-x", proxyUrl(), "http://orders/who")).isEqualTo("orders-1");
  }

  /** Sends raw bytes to the gateway sidecar's outbound listener and returns the status code. */
  private int statusOf(String request) throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(gateway.outbound(), 5_000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder statusLine = new StringBuilder();
      for (int b; (b = in.read()) != -1 && b != '\n'; ) {
        statusLine.append((char) b);
      }
      String[] parts = statusLine.toString().split(" ");
      assertThat(parts[0]).as("status line %s", statusLine).isEqualTo("HTTP/1.1");
      return Integer.parseInt(parts[1]);
    }
  }

  private String proxyUrl() {
    return "http://" + hostPort(gateway.outbound());
  }

  private static String hostPort(InetSocketAddress address) {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  private static int count(String report, String regex) {
    Matcher m = Pattern.compile(regex).matcher(report);
    assertThat(m.find()).as("'%s' in:%n%s", regex, report).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static String curl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10"));
    command.addAll(List.of(args));
    return run(command);
  }

  private static String run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish:\n" + output);
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(command + " exited " + process.exitValue() + ":\n" + output);
    }
    return output;
  }
}
