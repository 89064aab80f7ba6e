package dev.firemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firemesh.proxy.testing.GeneratedBody;
import dev.firemesh.proxy.testing.RawHttp;
import dev.firemesh.proxy.testing.SidecarPair;
import dev.firemesh.proxy.testing.TestApp;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An application calls {@code orders} by name through two sidecars, as in the mesh: outbound
 * listener of the caller's sidecar, inbound listener of the callee's, then the application.
 */
class SidecarEndToEndTest {
  private static SidecarPair mesh;

  @BeforeAll
  static void start() throws Exception {
    mesh = new SidecarPair();
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  @AfterEach
  void everyLeaseIsClosedExactlyOnce() {
    await().until(() -> mesh.callerRouter.openLeases() == 0);
    assertThat(mesh.callerRouter.extraCloses()).isZero();
  }

  private static HttpResponse<String> get(HttpClient client, String uri) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void callByLogicalNameReachesTheAppThroughBothSidecars() throws Exception {
    HttpResponse<String> response = get(mesh.client(), "http://orders/echo?q=1");

    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, String> seen = TestApp.parseEcho(response.body());
    assertThat(seen.get("target")).isEqualTo("/echo?q=1");
    assertThat(seen.get("header.host")).isEqualTo("orders");
    assertThat(seen.get("header.x-request-id")).matches("[0-9a-f]{32}");
    assertThat(seen.get("header.via")).isEqualTo("1.1 firemesh, 1.1 firemesh");
    assertThat(seen.get("header.x-forwarded-for")).isEqualTo("127.0.0.1, 127.0.0.1");
    assertThat(seen.get("header.x-forwarded-proto")).isEqualTo("http");
    assertThat(response.headers().allValues("via")).containsExactly("1.1 firemesh, 1.1 firemesh");
    assertThat(response.headers().firstValue("server")).isEmpty();
  }

  @Test
  void anHttp2UpgradeOfferIsIgnoredAndTheCallGoesOnInHttp1() throws Exception {
    // Java's HttpClient offers h2c by default on http:// URIs; RFC 9110 lets a server ignore it.
    HttpResponse<String> response =
        get(mesh.client(HttpClient.Version.HTTP_2), "http://orders/echo");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    Map<String, String> seen = TestApp.parseEcho(response.body());
    assertThat(seen)
        .doesNotContainKeys("header.upgrade", "header.http2-settings", "header.connection");
  }

  @Test
  void theHostHeaderNamesTheServiceWhenTheTargetIsAPath() throws Exception {
    try (RawHttp raw = RawHttp.connect(mesh.outbound())) {
      RawHttp.Response response =
          raw.send("GET /echo HTTP/1.1\r\nHost: Orders:8080\r\nX-Request-Id: abc-123\r\n\r\n")
              .read();

      assertThat(response.status()).isEqualTo(200);
      Map<String, String> seen = TestApp.parseEcho(response.text());
      assertThat(seen.get("header.host")).isEqualTo("Orders:8080");
      assertThat(seen.get("header.x-request-id")).isEqualTo("abc-123");
    }
  }

  @Test
  void sequentialRequestsReuseOneUpstreamConnectionPerHop() throws Exception {
    try (SidecarPair fresh = new SidecarPair()) {
      HttpClient client = fresh.client();
      for (int i = 0; i < 20; i++) {
        assertThat(get(client, "http://orders/echo?n=" + i).statusCode()).isEqualTo(200);
      }

      assertThat(fresh.caller.stats().upstreamConnectionsOpened()).isEqualTo(1);
      assertThat(fresh.caller.stats().upstreamConnectionsReused()).isEqualTo(19);
      assertThat(fresh.callee.stats().upstreamConnectionsOpened()).isEqualTo(1);
      assertThat(fresh.callee.stats().upstreamConnectionsReused()).isEqualTo(19);
    }
  }

  @Test
  void theNioFallbackWithSeveralEventLoopsServesTheSame() throws Exception {
    try (SidecarPair nio = new SidecarPair(b -> b.nativeTransport(false).eventLoopThreads(3))) {
      assertThat(nio.caller.transport()).isEqualTo("nio");
      HttpClient client = nio.client();
      for (int i = 0; i < 6; i++) {
        HttpResponse<String> response = get(client, "http://orders/echo?n=" + i);
        assertThat(TestApp.parseEcho(response.body()).get("target")).isEqualTo("/echo?n=" + i);
      }
      upload(nio, 8L * 1024 * 1024, true);
    }
  }

  @Test
  void expectContinueGetsTheUpstreams100BeforeTheBodyIsSent() throws Exception {
    try (RawHttp raw = RawHttp.connect(mesh.outbound())) {
      raw.send(
          "POST http://orders/echo HTTP/1.1\r\nHost: orders\r\nContent-Length: 11\r\n"
              + "Expect: 100-continue\r\n\r\n");

      assertThat(raw.read().status()).isEqualTo(100);
      RawHttp.Response response = raw.send("hello world").read();
      assertThat(response.status()).isEqualTo(200);
      assertThat(TestApp.parseEcho(response.text()).get("body-bytes")).isEqualTo("11");
    }
  }

  @Test
  void anHttp10CallerGetsItsAnswerAndTheConnectionCloses() throws Exception {
    try (RawHttp raw = RawHttp.connect(mesh.outbound())) {
      RawHttp.Response response = raw.send("GET http://orders/echo HTTP/1.0\r\n\r\n").read();

      assertThat(response.status()).isEqualTo(200);
      assertThat(TestApp.parseEcho(response.text()).get("header.host")).isEqualTo("orders");
      assertThat(response.header("connection")).isEqualTo("close");
      assertThat(raw.closedByPeer()).isTrue();
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    try (RawHttp raw = RawHttp.connect(mesh.outbound())) {
      raw.send(
          "GET /echo?n=1 HTTP/1.1\r\nHost: orders\r\n\r\n"
              + "POST /echo?n=2 HTTP/1.1\r\nHost: orders\r\nContent-Length: 3\r\n\r\nabc"
              + "GET /echo?n=3 HTTP/1.1\r\nHost: nowhere\r\n\r\n"
              + "GET /echo?n=4 HTTP/1.1\r\nHost: orders\r\n\r\n");

      assertThat(TestApp.parseEcho(raw.read().text()).get("target")).isEqualTo("/echo?n=1");
      assertThat(TestApp.parseEcho(raw.read().text()).get("body-bytes")).isEqualTo("3");
      assertThat(raw.read().status()).isEqualTo(404);
      assertThat(TestApp.parseEcho(raw.read().text()).get("target")).isEqualTo("/echo?n=4");
    }
  }

  @Test
  void aStreamedUploadWithAKnownLengthArrivesWhole() throws Exception {
    upload(BigBodies.bytes(), true);
  }

  @Test
  void aChunkedUploadArrivesWhole() throws Exception {
    upload(BigBodies.bytes() / 4, false);
  }

  @Test
  void aStreamedDownloadWithAKnownLengthArrivesWhole() throws Exception {
    download(BigBodies.bytes(), false);
  }

  @Test
  void aChunkedDownloadArrivesWhole() throws Exception {
    download(BigBodies.bytes() / 4, true);
  }

  private static void upload(long size, boolean knownLength) throws Exception {
    upload(mesh, size, knownLength);
  }

  private static void upload(SidecarPair mesh, long size, boolean knownLength) throws Exception {
    GeneratedBody body = new GeneratedBody(size);
    HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> body);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://orders/upload"))
            .POST(knownLength ? HttpRequest.BodyPublishers.fromPublisher(stream, size) : stream)
            .build();

    HttpResponse<String> response =
        mesh.client().send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(size + " " + body.crcSoFar());
    BigBodies.assertProxyBuffersStayedSmall(mesh);
  }

  private static void download(long size, boolean chunked) throws Exception {
    HttpResponse<InputStream> response =
        mesh.client()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://orders/download?bytes=" + size + "&chunked=" + chunked))
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());

    assertThat(response.statusCode()).isEqualTo(200);
    BigBodies.Received received = BigBodies.read(response.body(), 0);
    assertThat(received.bytes()).isEqualTo(size);
    assertThat(received.crc()).isEqualTo(GeneratedBody.crc(size));
    BigBodies.assertProxyBuffersStayedSmall(mesh);
  }
}
