package dev.firemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.identity.WorkloadCredentials;
import dev.firemesh.proxy.tcp.TcpUpstream;
import dev.firemesh.proxy.testing.BannerApp;
import dev.firemesh.proxy.testing.FirstRouteRouter;
import dev.firemesh.proxy.testing.GrpcApp;
import dev.firemesh.proxy.testing.MeshConfigs;
import dev.firemesh.proxy.testing.SidecarPair;
import dev.firemesh.proxy.testing.TestApp;
import dev.firemesh.proxy.testing.TestCa;
import dev.firemesh.proxy.tls.HandshakeFailure;
import dev.firemesh.proxy.tls.TlsProtocols;
import dev.firemesh.proxy.tls.TlsProvider;
import dev.firemesh.proxy.tls.TlsStats.Side;
import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.ClusterConfig.HealthCheck;
import dev.firemesh.traffic.config.ClusterConfig.Protocol;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.Endpoint;
import dev.firemesh.traffic.config.InboundPolicy.MtlsMode;
import dev.firemesh.traffic.config.ServicePort;
import dev.firemesh.traffic.route.Router;
import dev.firemesh.traffic.route.SnapshotRouter;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Mutual TLS between sidecars on loopback, with SVIDs from a test CA: every protocol rides it, a
 * strict sidecar refuses whatever cannot prove a mesh identity, a caller refuses a peer that proves
 * the wrong one, and credentials renew under load without a failed request. Each test runs on both
 * TLS providers.
 */
class MutualTlsTest {
  private static final String ORDERS = TestCa.id("orders").toString();

  private final TestCa ca = new TestCa();
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : open.reversed()) {
      closeable.close();
    }
  }

  @BeforeEach
  void quietTests() {
    open.clear();
  }

  private <T extends AutoCloseable> T opened(T closeable) {
    open.add(closeable);
    return closeable;
  }

  private Sidecar sidecar(
      TlsProvider provider,
      String service,
      WorkloadCredentials credentials,
      UnaryOperator<Sidecar.Builder> settings) {
    return sidecar(provider, new FirstRouteRouter(), service, credentials, settings);
  }

  private Sidecar sidecar(
      TlsProvider provider,
      Router router,
      String service,
      WorkloadCredentials credentials,
      UnaryOperator<Sidecar.Builder> settings) {
    Sidecar.Builder builder =
        SidecarPair.ephemeral(Sidecar.builder().router(router))
            .service(service)
            .tlsProvider(provider);
    if (credentials != null) {
      builder.credentials(credentials);
    }
    return opened(settings.apply(builder).build().start());
  }

  /** The orders sidecar in front of {@code appPort}, in {@code mode}. */
  private Sidecar callee(TlsProvider provider, int appPort, MtlsMode mode) {
    Sidecar callee =
        sidecar(provider, "orders", ca.credentials("orders"), b -> b.localAppPort(appPort));
    callee.apply(MeshConfigs.builder().mtls("orders", mode).build("callee-1"));
    return callee;
  }

  /** The web sidecar, whose orders cluster is {@code endpoints}. */
  private Sidecar caller(TlsProvider provider, Protocol protocol, Endpoint... endpoints) {
    Sidecar caller =
        sidecar(provider, "web", ca.credentials("web"), b -> b.localAppPort(1).outboundOnly());
    caller.apply(
        MeshConfigs.builder()
            .service("orders", "orders")
            .cluster("orders", protocol, List.of(endpoints))
            .build("caller-1"));
    return caller;
  }

  private record Pair(Sidecar callee, Sidecar caller) {}

  /** A strict orders sidecar in front of {@code appPort}, and a web sidecar calling it. */
  private Pair strictPair(TlsProvider provider, int appPort, Protocol protocol) {
    Sidecar callee = callee(provider, appPort, MtlsMode.STRICT);
    return new Pair(
        callee,
        caller(
            provider, protocol, MeshConfigs.endpoint(callee.inboundAddress().getPort(), ORDERS)));
  }

  private static HttpResponse<String> get(Sidecar caller, String path) throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .proxy(java.net.ProxySelector.of(caller.outboundAddress()))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    return client.send(
        HttpRequest.newBuilder(URI.create("http://orders" + path))
            .header("x-firemesh-caller", "risk")
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void http1ReachesAStrictPeerOverMtlsAndTheAppSeesTheVerifiedCaller(TlsProvider provider)
      throws Exception {
    TestApp app = opened(new TestApp().start());
    Pair pair = strictPair(provider, app.port(), Protocol.HTTP1);
    Sidecar callee = pair.callee();
    Sidecar caller = pair.caller();

    HttpResponse<String> response = get(caller, "/echo");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(TestApp.parseEcho(response.body())).containsEntry("header.x-firemesh-caller", "web");
    assertThat(callee.tls().current().orElseThrow().provider()).isEqualTo(provider);
    assertThat(callee.tls().stats().handshakes(Side.INBOUND)).isEqualTo(1);
    assertThat(caller.tls().stats().handshakes(Side.OUTBOUND)).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void grpcTravelsAsH2OverMtls(TlsProvider provider) throws Exception {
    GrpcApp app = opened(new GrpcApp());
    Pair pair = strictPair(provider, app.port(), Protocol.HTTP2);
    Sidecar callee = pair.callee();
    Sidecar caller = pair.caller();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(caller.outboundAddress())
            .overrideAuthority("orders")
            .usePlaintext()
            .build();
    try {
      for (int i = 0; i < 3; i++) {
        byte[] answer =
            ClientCalls.blockingUnaryCall(
                channel,
                GrpcApp.ECHO,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                ("buy " + i).getBytes(StandardCharsets.UTF_8));
        assertThat(new String(answer, StandardCharsets.UTF_8)).isEqualTo("buy " + i);
      }
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    Metadata seen = app.lastHeaders();
    assertThat(seen.get(Metadata.Key.of("x-firemesh-caller", Metadata.ASCII_STRING_MARSHALLER)))
        .isEqualTo("web");
    // three calls, one multiplexed connection, one handshake
    assertThat(callee.tls().stats().handshakes(Side.INBOUND)).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void aTcpTunnelRidesMtls(TlsProvider provider) throws Exception {
    BannerApp db = opened(new BannerApp());
    Sidecar callee =
        sidecar(provider, "orders", ca.credentials("orders"), b -> b.appPort("fix", db.port()));
    callee.apply(
        MeshConfigs.builder()
            .ports("orders", new ServicePort("fix", 9878, Protocol.TCP))
            .mtls("orders", MtlsMode.STRICT)
            .build("callee-1"));
    Sidecar caller =
        sidecar(
            provider,
            "web",
            ca.credentials("web"),
            b -> b.outboundOnly().tcpUpstream(new TcpUpstream("orders", "fix", 0)));
    caller.apply(
        MeshConfigs.builder()
            .service("orders", "orders")
            .ports("orders", new ServicePort("fix", 9878, Protocol.TCP))
            .cluster(
                "orders",
                Protocol.TCP,
                List.of(MeshConfigs.endpoint(callee.inboundAddress().getPort(), ORDERS)))
            .build("caller-1"));
    InetSocketAddress upstream = caller.upstreamAddresses().values().iterator().next();

    try (Socket socket = new Socket(upstream.getAddress(), upstream.getPort())) {
      socket.setSoTimeout(10_000);
      InputStream in = socket.getInputStream();
      assertThat(new String(in.readNBytes(BannerApp.BANNER.length()), StandardCharsets.US_ASCII))
          .isEqualTo(BannerApp.BANNER);
      socket.getOutputStream().write("12345".getBytes(StandardCharsets.US_ASCII));
      socket.shutdownOutput();
      // the app echoes, then says goodbye and closes: the half-close crossed both sidecars
      assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII))
          .isEqualTo("12345bye 5\n");
    }
    assertThat(callee.tls().stats().handshakes(Side.INBOUND)).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void strictRefusesPlaintextAndEveryCertificateThatProvesNoMeshIdentity(TlsProvider provider)
      throws Exception {
    TestApp app = opened(new TestApp().start());
    Sidecar callee = callee(provider, app.port(), MtlsMode.STRICT);
    InetSocketAddress inbound = callee.inboundAddress();

    // plaintext
    try (Socket plain = new Socket(inbound.getAddress(), inbound.getPort())) {
      plain.setSoTimeout(5_000);
      plain.getOutputStream().write("GET /echo HTTP/1.1\r\nHost: orders\r\n\r\n".getBytes());
      assertThat(plain.getInputStream().read()).isEqualTo(-1);
    }
    await()
        .until(() -> callee.tls().stats().failures(Side.INBOUND, HandshakeFailure.PLAINTEXT) == 1);

    // a certificate of another CA (self-signed chain): untrusted
    TestCa other = new TestCa();
    assertRefused(inbound, other.credentials("web"));
    await()
        .until(() -> callee.tls().stats().failures(Side.INBOUND, HandshakeFailure.UNTRUSTED) == 1);

    // an expired one from our own CA
    WorkloadCredentials expired =
        ca.credentials(
            TestCa.id("web"), Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));
    assertRefused(inbound, expired);
    await().until(() -> callee.tls().stats().failures(Side.INBOUND, HandshakeFailure.EXPIRED) == 1);

    // another trust domain, signed by our CA
    WorkloadCredentials foreign =
        ca.credentials(
            new SpiffeId("other.example", "test", "web"), Instant.now(), Duration.ofHours(1));
    assertRefused(inbound, foreign);
    await()
        .until(
            () ->
                callee.tls().stats().failures(Side.INBOUND, HandshakeFailure.WRONG_TRUST_DOMAIN)
                    == 1);

    // and the app never saw a request
    assertThat(callee.tls().stats().handshakes(Side.INBOUND)).isZero();
    // a valid SVID is taken
    try (SSLSocket good = TestCa.connect(inbound, ca.credentials("web"))) {
      good.getOutputStream()
          .write(
              "GET /echo HTTP/1.1\r\nHost: orders\r\nx-firemesh-caller: risk\r\n\r\n".getBytes());
      String head = new String(good.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(head).isEqualTo("HTTP/1.1 200");
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void aClientWithoutACertificateIsRefused(TlsProvider provider) throws Exception {
    TestApp app = opened(new TestApp().start());
    Sidecar callee = callee(provider, app.port(), MtlsMode.STRICT);
    try (SSLSocket socket = TestCa.withoutCertificate(callee.inboundAddress())) {
      assertThat(refused(socket)).isTrue();
    }
    await()
        .until(
            () ->
                callee.tls().stats().failures(Side.INBOUND, HandshakeFailure.NO_CLIENT_CERTIFICATE)
                    == 1);
  }

  /**
   * OpenSSL's command line client offers what the JDK refuses to: TLS 1.1, and TLS 1.2 with a CBC
   * suite without forward secrecy. Both handshakes fail against the default (1.3 only) and against
   * a sidecar that allows 1.2 (with ECDHE+AEAD suites only).
   */
  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void oldProtocolsAndWeakCiphersAreRefused(TlsProvider provider, @TempDir Path dir)
      throws Exception {
    TestApp app = opened(new TestApp().start());
    Sidecar strict13 = callee(provider, app.port(), MtlsMode.STRICT);
    Sidecar allows12 =
        sidecar(
            provider,
            "orders",
            ca.credentials("orders"),
            b -> b.localAppPort(app.port()).tlsProtocols(TlsProtocols.TLS_1_2_AND_1_3));
    allows12.apply(MeshConfigs.builder().mtls("orders", MtlsMode.STRICT).build("callee-1"));

    assertThat(sClient(strict13, dir, "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0")).isFalse();
    assertThat(sClient(strict13, dir, "-tls1_2")).isFalse();
    assertThat(sClient(allows12, dir, "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0")).isFalse();
    assertThat(sClient(allows12, dir, "-tls1_2", "-cipher", "AES128-SHA")).isFalse();
    // the control: TLS 1.2 with ECDHE and AES-GCM is taken where 1.2 is allowed
    sClient(allows12, dir, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256");
    await().until(() -> allows12.tls().stats().handshakes(Side.INBOUND) == 1);
    await()
        .untilAsserted(
            () ->
                assertThat(
                        strict13.tls().stats().failures(Side.INBOUND, HandshakeFailure.PROTOCOL)
                            + allows12
                                .tls()
                                .stats()
                                .failures(Side.INBOUND, HandshakeFailure.PROTOCOL))
                    .as(
                        "%s %s",
                        strict13.tls().stats().snapshot(), allows12.tls().stats().snapshot())
                    .isEqualTo(4));
  }

  /** Whether {@code openssl s_client} with a valid SVID completes a handshake with {@code peer}. */
  private boolean sClient(Sidecar peer, Path dir, String... options) throws Exception {
    WorkloadCredentials web = ca.credentials("web");
    Path cert = dir.resolve("web.pem");
    Path key = dir.resolve("web.key");
    Path chain = dir.resolve("chain.pem");
    Files.writeString(cert, pem("CERTIFICATE", web.chain().getFirst().getEncoded()));
    Files.writeString(chain, pem("CERTIFICATE", web.chain().get(1).getEncoded()));
    Files.writeString(key, pem("PRIVATE KEY", web.privateKey().getEncoded()));
    List<String> command =
        new ArrayList<>(
            List.of(
                "/usr/bin/openssl",
                "s_client",
                "-connect",
                "127.0.0.1:" + peer.inboundAddress().getPort(),
                "-cert",
                cert.toString(),
                "-key",
                key.toString(),
                "-cert_chain",
                chain.toString()));
    command.addAll(List.of(options));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      process.getOutputStream().close(); // end of input: s_client leaves after the handshake
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
      return output.contains("Cipher is ") && !output.contains("Cipher is (NONE)");
    } finally {
      process.destroyForcibly();
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void aPeerProvingAnotherIdentityThanEdsSaysIsRefusedAndTheRequestGoesElsewhere(
      TlsProvider provider) throws Exception {
    TestApp app = opened(new TestApp().start());
    Sidecar orders = callee(provider, app.port(), MtlsMode.STRICT);
    // an impostor: a real mesh identity, but not the one EDS names for its address
    Sidecar impostor =
        sidecar(provider, "risk", ca.credentials("risk"), b -> b.localAppPort(app.port()));
    impostor.apply(MeshConfigs.builder().build("impostor-1"));
    Sidecar caller =
        caller(
            provider,
            Protocol.HTTP1,
            MeshConfigs.endpoint(impostor.inboundAddress().getPort(), ORDERS),
            MeshConfigs.endpoint(orders.inboundAddress().getPort(), ORDERS));

    for (int i = 0; i < 6; i++) {
      assertThat(get(caller, "/echo").statusCode()).isEqualTo(200);
    }

    assertThat(impostor.stats().snapshot())
        .as("the impostor's app never saw a request")
        .containsEntry("listener.inbound.responses.2xx", 0L);
    assertThat(caller.counters())
        .hasEntrySatisfying(
            "upstream.tls_failures.orders.wrong_identity", count -> assertThat(count).isPositive());
    assertThat(caller.tls().stats().failures(Side.OUTBOUND, HandshakeFailure.WRONG_IDENTITY))
        .isPositive();
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void credentialsRenewUnderLoadWithoutAFailedRequestOrADroppedConnection(TlsProvider provider)
      throws Exception {
    TestApp app = opened(new TestApp().start());
    Pair pair = strictPair(provider, app.port(), Protocol.HTTP1);
    Sidecar callee = pair.callee();
    Sidecar caller = pair.caller();
    HttpClient client =
        HttpClient.newBuilder()
            .proxy(java.net.ProxySelector.of(caller.outboundAddress()))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    var loop = Executors.newVirtualThreadPerTaskExecutor();
    Future<?> load =
        loop.submit(
            () -> {
              while (running.get()) {
                try {
                  HttpResponse<String> response =
                      client.send(
                          HttpRequest.newBuilder(URI.create("http://orders/echo")).build(),
                          HttpResponse.BodyHandlers.ofString());
                  if (response.statusCode() == 200) {
                    ok.incrementAndGet();
                  } else {
                    failures.add(response.statusCode() + " " + response.body());
                  }
                } catch (Exception e) {
                  failures.add(e.toString());
                }
              }
            });
    await().until(() -> ok.get() >= 20);
    WorkloadCredentials latest = null;
    for (int renewal = 0; renewal < 5; renewal++) {
      latest = ca.credentials("orders");
      callee.updateCredentials(latest);
      caller.updateCredentials(ca.credentials("web"));
      int before = ok.get();
      await().until(() -> ok.get() >= before + 20);
    }
    running.set(false);
    load.get(30, TimeUnit.SECONDS);
    loop.close();

    assertThat(failures).isEmpty();
    // the kept-alive connection between the sidecars lived through every renewal
    assertThat(callee.tls().stats().handshakes(Side.INBOUND)).isEqualTo(1);
    // while a new handshake shows the new certificate
    try (SSLSocket fresh = TestCa.connect(callee.inboundAddress(), ca.credentials("web"))) {
      X509Certificate presented = (X509Certificate) fresh.getSession().getPeerCertificates()[0];
      BigInteger serial = presented.getSerialNumber();
      assertThat(serial).isEqualTo(latest.leaf().getSerialNumber());
    }
    assertThat(callee.tls().describe())
        .containsEntry("serial", latest.leaf().getSerialNumber().toString(16));
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void permissiveTakesMtlsAndPlaintextAndOnlyTrustsTheCallerOfAVerifiedPeer(TlsProvider provider)
      throws Exception {
    TestApp app = opened(new TestApp().start());
    Sidecar callee = callee(provider, app.port(), MtlsMode.PERMISSIVE);
    int port = callee.inboundAddress().getPort();
    Sidecar overTls = caller(provider, Protocol.HTTP1, MeshConfigs.endpoint(port, ORDERS));
    Sidecar plain = caller(provider, Protocol.HTTP1, MeshConfigs.endpoint(port, ""));

    HttpResponse<String> secured = get(overTls, "/echo");
    HttpResponse<String> clear = get(plain, "/echo");

    assertThat(secured.statusCode()).isEqualTo(200);
    assertThat(clear.statusCode()).isEqualTo(200);
    assertThat(TestApp.parseEcho(secured.body())).containsEntry("header.x-firemesh-caller", "web");
    // plaintext: the caller's sidecar stamped it, nobody verified it
    assertThat(TestApp.parseEcho(clear.body())).containsEntry("header.x-firemesh-caller", "web");
    assertThat(callee.tls().stats().handshakes(Side.INBOUND)).isEqualTo(1);

    // a TLS peer cannot claim another caller than its certificate proves
    try (SSLSocket socket = TestCa.connect(callee.inboundAddress(), ca.credentials("web"))) {
      socket
          .getOutputStream()
          .write(
              ("GET /echo HTTP/1.1\r\nHost: orders\r\nx-firemesh-caller: risk\r\n"
                      + "Connection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(answer).contains("header.x-firemesh-caller: web").doesNotContain("risk");
    }
  }

  /**
   * A strict peer refuses plaintext, so checks go over mTLS as requests do, and pass only where the
   * peer proves the endpoint's identity.
   */
  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void activeHealthChecksRideMtlsAndCheckTheIdentity(TlsProvider provider) throws Exception {
    TestApp app = opened(new TestApp().start());
    Sidecar callee = callee(provider, app.port(), MtlsMode.STRICT);
    int port = callee.inboundAddress().getPort();
    SnapshotRouter router = new SnapshotRouter();
    Sidecar caller = sidecar(provider, router, "web", ca.credentials("web"), b -> b.outboundOnly());
    HealthCheck http =
        new HealthCheck(
            HealthCheck.Type.HTTP,
            "/status?code=200",
            "orders",
            Duration.ofMillis(100),
            Duration.ofSeconds(2),
            1,
            1);
    HealthCheck tcp =
        new HealthCheck(
            HealthCheck.Type.TCP, "", "", Duration.ofMillis(100), Duration.ofSeconds(2), 1, 1);
    DataPlaneConfig config =
        MeshConfigs.builder()
            .cluster("orders", Protocol.HTTP1, List.of(MeshConfigs.endpoint(port, ORDERS)))
            .cluster("tcp", Protocol.HTTP1, List.of(MeshConfigs.endpoint(port, ORDERS)))
            .cluster(
                "impostor",
                Protocol.HTTP1,
                List.of(MeshConfigs.endpoint(port, TestCa.id("risk").toString())))
            .build("caller-1");
    Map<String, ClusterConfig> clusters = new HashMap<>(config.clusters());
    clusters.computeIfPresent("orders", (name, cluster) -> cluster.withHealthCheck(http));
    clusters.computeIfPresent("tcp", (name, cluster) -> cluster.withHealthCheck(tcp));
    clusters.computeIfPresent("impostor", (name, cluster) -> cluster.withHealthCheck(http));
    caller.apply(new DataPlaneConfig("caller-1", config.services(), clusters, config.ports()));

    await()
        .until(
            () ->
                router.cluster("orders").orElseThrow().health().checksPassed() >= 3
                    && router.cluster("tcp").orElseThrow().health().checksPassed() >= 3
                    && router.cluster("impostor").orElseThrow().health().checksFailed() >= 3);
    assertThat(router.cluster("orders").orElseThrow().health().checksFailed()).isZero();
    assertThat(router.cluster("tcp").orElseThrow().health().checksFailed()).isZero();
    assertThat(router.cluster("impostor").orElseThrow().health().checksPassed()).isZero();
    assertThat(callee.tls().stats().failures(Side.INBOUND, HandshakeFailure.PLAINTEXT)).isZero();
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void aStrictSidecarWithoutCredentialsRefusesEverybody(TlsProvider provider) throws Exception {
    TestApp app = opened(new TestApp().start());
    Sidecar bare = sidecar(provider, "orders", null, b -> b.localAppPort(app.port()));
    bare.apply(MeshConfigs.builder().mtls("orders", MtlsMode.STRICT).build("callee-1"));
    InetSocketAddress inbound = bare.inboundAddress();
    try (Socket plain = new Socket(inbound.getAddress(), inbound.getPort())) {
      plain.setSoTimeout(5_000);
      assertThat(plain.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(bare.tls().describe()).containsEntry("mtls", false);
    await()
        .until(
            () -> bare.tls().stats().failures(Side.INBOUND, HandshakeFailure.NO_CREDENTIALS) == 1);
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void theAdminPagesShowTheIdentityAndNeverTheKey(TlsProvider provider) throws Exception {
    TestApp app = opened(new TestApp().start());
    Sidecar callee = callee(provider, app.port(), MtlsMode.STRICT);
    String certs = admin(callee, "/certs");
    String dump = admin(callee, "/config_dump");
    String prometheus = admin(callee, "/stats/prometheus");
    String stats = admin(callee, "/stats");

    assertThat(certs)
        .contains("\"identity\": \"" + ORDERS + "\"")
        .contains("\"provider\": \"" + provider.label() + "\"")
        .contains("\"sha256\"")
        .doesNotContain("PRIVATE");
    assertThat(dump).contains("\"tls\"").contains("\"provider\": \"" + provider.label() + "\"");
    assertThat(prometheus)
        .contains("firemesh_proxy_tls_provider{provider=\"" + provider.label() + "\"} 1")
        .contains("firemesh_proxy_tls_handshakes_total{side=\"inbound\",result=\"ok\"} 0")
        .containsPattern("firemesh_proxy_tls_svid_expiry_seconds [0-9]+");
    assertThat(stats).contains("tls.provider." + provider.label() + " 1");
  }

  private static String admin(Sidecar sidecar, String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + sidecar.adminAddress().getPort() + path);
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static boolean refused(SSLSocket socket) {
    try {
      socket.startHandshake();
      socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: orders\r\n\r\n".getBytes());
      socket.getOutputStream().flush();
      return socket.getInputStream().read() == -1;
    } catch (IOException e) {
      return true;
    }
  }

  private static void assertRefused(InetSocketAddress inbound, WorkloadCredentials credentials)
      throws Exception {
    SSLSocket socket;
    try {
      socket = TestCa.connect(inbound, credentials);
    } catch (IOException e) {
      return; // refused during the handshake itself
    }
    try (socket) {
      assertThat(refused(socket)).isTrue();
    }
  }
}
