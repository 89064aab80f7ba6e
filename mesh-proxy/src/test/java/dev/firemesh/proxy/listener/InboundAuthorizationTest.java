package dev.firemesh.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.api.codec.ResourceCodec;
import dev.firemesh.api.resource.AuthorizationPolicy;
import dev.firemesh.proxy.forward.Drain;
import dev.firemesh.proxy.forward.ResendPolicy;
import dev.firemesh.proxy.http.FlowControlWindows;
import dev.firemesh.proxy.http.HttpLimits;
import dev.firemesh.proxy.stats.ProxyStats;
import dev.firemesh.proxy.tcp.AppPorts;
import dev.firemesh.proxy.tcp.InboundTunnels;
import dev.firemesh.proxy.tcp.TunnelSettings;
import dev.firemesh.proxy.testing.H2Client;
import dev.firemesh.proxy.testing.RawHttp;
import dev.firemesh.proxy.testing.TestApp;
import dev.firemesh.proxy.tls.PeerIdentity;
import dev.firemesh.proxy.upstream.UpstreamPools;
import dev.firemesh.traffic.authz.AuthorizationRules;
import dev.firemesh.traffic.authz.Authorizer;
import dev.firemesh.traffic.authz.Decision;
import dev.firemesh.traffic.config.ClusterConfig.Protocol;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.InboundPolicy;
import dev.firemesh.traffic.config.ServicePort;
import dev.firemesh.traffic.ratelimit.RateLimiter;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Authorization at the inbound listener: the real inbound stack (the one a sidecar builds) on a
 * loopback port, in front of a real application.
 *
 * <p>The caller's identity is what the TLS handshake leaves on the connection ({@link
 * PeerIdentity#KEY}). Sidecar mTLS is being built at the same time as this handler, so here a
 * test-only initializer in front of the listener sets the attribute on each accepted connection to
 * the identity the test names for it; with real TLS, the handshake sets it the same way.
 */
class InboundAuthorizationTest {
  private static final String GATEWAY = "spiffe://prod.bank/env/prod/svc/gateway";
  private static final String RISK = "spiffe://prod.bank/env/prod/svc/risk";

  private static final String POLICIES =
      """
      apiVersion: firemesh.dev/v1
      kind: AuthorizationPolicy
      metadata: {name: orders-callers}
      spec:
        service: orders
        rules:
          - name: gateway-orders
            from: {services: [gateway]}
            to: {methods: [GET, POST], paths: [/echo/orders, /echo/orders/*]}
          - name: risk-reads
            from: {services: [risk]}
            to: {methods: [GET]}
          - name: gateway-fix
            from: {services: [gateway]}
            to: {ports: [fix]}
      ---
      apiVersion: firemesh.dev/v1
      kind: AuthorizationPolicy
      metadata: {name: no-admin}
      spec:
        service: orders
        action: DENY
        rules: [{to: {paths: [/echo/admin, /echo/admin/*]}}]
      ---
      apiVersion: firemesh.dev/v1
      kind: AuthorizationPolicy
      metadata: {name: trial}
      spec:
        service: orders
        action: DENY
        mode: dryRun
        rules: [{to: {methods: [POST]}, when: [{header: x-trial, present: true}]}]
      """;

  private final AtomicReference<String> nextPeer = new AtomicReference<>();
  private final Authorizer authorizer = new Authorizer();
  private TestApp app;
  private ServerSocket fixApp;
  private EventLoopGroup group;
  private Channel server;

  @BeforeEach
  void start() throws Exception {
    app = new TestApp().start();
    fixApp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    DataPlaneConfig config =
        new DataPlaneConfig(
            "authz-1",
            Map.of(),
            Map.of(),
            Map.of(
                "orders",
                List.of(
                    new ServicePort("http", 8080, Protocol.HTTP1),
                    new ServicePort("grpc", 9090, Protocol.HTTP2),
                    new ServicePort("fix", 9878, Protocol.TCP))),
            Map.of(
                "orders",
                new InboundPolicy(InboundPolicy.MtlsMode.PERMISSIVE, List.of(), rules(POLICIES))));
    authorizer.update(config.inbound("orders").authorization());

    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    ProxyStats stats = new ProxyStats();
    ListenerSettings settings =
        new ListenerSettings(
            HttpLimits.DEFAULT,
            "firemesh",
            64 * 1024,
            ResendPolicy.IDEMPOTENT_METHODS,
            Duration.ofMinutes(1),
            new UpstreamDefaults(Duration.ofSeconds(2), Duration.ofSeconds(30)),
            FlowControlWindows.DEFAULT,
            new Drain());
    InboundTunnels local =
        new InboundTunnels(
            "orders",
            "127.0.0.1",
            new AppPorts(app.port(), Map.of("fix", fixApp.getLocalPort())),
            () -> Optional.of(config),
            new TunnelSettings(
                NioSocketChannel.class, Duration.ofSeconds(2), Duration.ofMinutes(1), 1, stats),
            authorizer,
            new dev.firemesh.proxy.authz.AuthorizationLog());
    HttpListener inbound =
        HttpListener.inbound(
            local,
            new RateLimiter(),
            settings,
            UpstreamPools.create(
                group,
                NioSocketChannel.class,
                ByteBufAllocator.DEFAULT,
                stats,
                4,
                FlowControlWindows.DEFAULT,
                dev.firemesh.proxy.tls.UpstreamTls.PLAINTEXT),
            stats,
            null); // no TLS handler: this test sets the peer identity itself
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel channel) {
                    // test-only: stands in for the TLS handshake that sets the peer's identity
                    String peer = nextPeer.get();
                    if (peer != null) {
                      channel.attr(PeerIdentity.KEY).set(peer);
                    }
                    channel.pipeline().addLast(inbound);
                  }
                })
            .bind(InetAddress.getLoopbackAddress(), 0)
            .sync()
            .channel();
  }

  @AfterEach
  void stop() throws Exception {
    server.close().sync();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
    fixApp.close();
    app.close();
  }

  private static AuthorizationRules rules(String yaml) {
    return AuthorizationRules.compile(
        ResourceCodec.parse("policies.yaml", yaml).stream()
            .map(p -> (AuthorizationPolicy) p.resource())
            .toList());
  }

  private InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  /** One HTTP/1.1 request on a fresh connection from {@code peer} (null: a plaintext peer). */
  private RawHttp.Response call(String peer, String method, String target, String... headers)
      throws IOException {
    nextPeer.set(peer);
    try (RawHttp http = RawHttp.connect(address())) {
      StringBuilder request =
          new StringBuilder(method + " " + target + " HTTP/1.1\r\nhost: orders\r\n");
      for (String header : headers) {
        request.append(header).append("\r\n");
      }
      if (method.equals("POST")) {
        request.append("content-length: 2\r\n\r\nhi");
      } else {
        request.append("\r\n");
      }
      return http.send(request.toString()).read();
    }
  }

  private Authorizer.DecisionCounters counts(String policy) {
    return authorizer.counters().get(policy);
  }

  @Test
  void aCallerARuleAllowsReachesTheApp() throws Exception {
    RawHttp.Response response = call(GATEWAY, "GET", "/echo/orders/7?side=buy");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.text()).contains("target: /echo/orders/7?side=buy");
    assertThat(counts("orders-callers").allowed()).isEqualTo(1);
  }

  @Test
  void aCallerNoRuleAllowsIsDeniedByDefaultAndAPlaintextPeerToo() throws Exception {
    RawHttp.Response risk = call(RISK, "POST", "/echo/orders");
    assertThat(risk.status()).isEqualTo(403);
    assertThat(risk.text()).isEqualTo("access denied by authorization policy\n");

    assertThat(call(null, "GET", "/echo/orders/7").status()).isEqualTo(403);
    assertThat(counts(Decision.DEFAULT).denied()).isEqualTo(2);
  }

  @Test
  void aDenyRuleWinsOverAnAllowRuleThatMatches() throws Exception {
    assertThat(call(RISK, "GET", "/echo/orders").status()).isEqualTo(200);
    assertThat(call(RISK, "GET", "/echo/admin").status()).isEqualTo(403);
    assertThat(counts("no-admin").denied()).isEqualTo(1);
  }

  @Test
  void aDryRunDenialPassesAndIsCounted() throws Exception {
    RawHttp.Response response = call(GATEWAY, "POST", "/echo/orders", "x-trial: yes");

    assertThat(response.status()).isEqualTo(200);
    assertThat(counts("trial").dryRunDenied()).isEqualTo(1);
    assertThat(counts("orders-callers").allowed()).isEqualTo(1);
  }

  @Test
  void pathTricksThatReachADeniedPathAreAllRefused() throws Exception {
    // risk may GET anything but /echo/admin; each of these is /echo/admin to some application
    for (String trick :
        List.of(
            "/echo/orders/../admin",
            "/echo/orders/%2e%2e/admin",
            "/echo/orders/%2E%2E/%61dmin",
            "/echo/./admin",
            "//echo//admin",
            "/echo/admin/",
            "/echo/%61dmin",
            "/ECHO/ADMIN",
            "/echo/Admin/users",
            "/../echo/admin")) {
      assertThat(call(RISK, "GET", trick).status()).as(trick).isEqualTo(403);
    }
    for (String trick :
        List.of("/echo/orders/..%2Fadmin", "/echo%5cadmin", "/echo/admin%00", "/echo/%zz")) {
      assertThat(call(RISK, "GET", trick).status()).as(trick).isEqualTo(400);
    }
  }

  @Test
  void theAppReceivesThePathThatWasAuthorized() throws Exception {
    RawHttp.Response response = call(GATEWAY, "GET", "/echo/x/..//orders/./%37?q=%2e%2e");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.text()).contains("target: /echo/orders/7?q=%2e%2e");
  }

  @Test
  void overHttp2ADeniedStreamIsAnsweredAndAGrpcCallerGetsPermissionDenied() throws Exception {
    nextPeer.set(RISK);
    try (H2Client client = H2Client.connect(address())) {
      // allowed through to the app (which speaks no HTTP/2 here, hence no 200)
      client.send(H2Client.request("GET", "orders", "/echo/orders"), new byte[0]);
      assertThat(counts("orders-callers").allowed()).isEqualTo(1);
      assertThat(
              client.send(H2Client.request("GET", "orders", "/echo/admin"), new byte[0]).status())
          .isEqualTo(403);

      Http2Headers grpc = H2Client.request("POST", "orders", "/trading.Orders/Place");
      grpc.set("content-type", "application/grpc").set("te", "trailers");
      H2Client.Response call = client.send(grpc, new byte[] {0, 0, 0, 0, 0});
      assertThat(call.status()).isEqualTo(200);
      assertThat(call.headers().orElseThrow().get("grpc-status")).hasToString("7");
      assertThat(client.connectionOpen()).isTrue();
    }
  }

  @Test
  void aTunnelIsAuthorizedByCallerAndPort() throws Exception {
    assertThat(connect(RISK)).startsWith("HTTP/1.1 403 ");
    assertThat(connect(GATEWAY)).startsWith("HTTP/1.1 200 ");
    assertThat(counts("orders-callers").allowed()).isEqualTo(1);
  }

  private String connect(String peer) throws IOException {
    nextPeer.set(peer);
    try (Socket socket = new Socket(address().getAddress(), address().getPort())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              "CONNECT orders:fix HTTP/1.1\r\nhost: orders:fix\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      int b;
      while ((b = in.read()) >= 0 && b != '\n') {
        line.append((char) b);
      }
      return line.toString();
    }
  }
}
