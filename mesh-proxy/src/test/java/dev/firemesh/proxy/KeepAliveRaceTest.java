package dev.firemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firemesh.proxy.forward.ResendPolicy;
import dev.firemesh.proxy.testing.FirstRouteRouter;
import dev.firemesh.proxy.testing.MeshConfigs;
import dev.firemesh.proxy.testing.RawHttp;
import dev.firemesh.proxy.testing.ScriptedUpstream;
import dev.firemesh.proxy.testing.SidecarPair;
import java.net.Socket;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The keep-alive race, made deterministic: the upstream answers a first request and keeps the
 * connection, then closes it (with a reset) the moment the next request's first bytes arrive,
 * without answering. The sidecar must resend on a fresh connection when nothing of the request
 * could have been processed, and only then.
 */
class KeepAliveRaceTest {

  /** Connection 0: answer one request, then reset on the next one's first byte. Others: serve. */
  private static final ScriptedUpstream.Script RACE =
      (connection, socket) -> {
        if (connection == 0) {
          ScriptedUpstream.readRequest(socket.getInputStream());
          ScriptedUpstream.write(socket, ScriptedUpstream.ok("first"));
          socket.getInputStream().read();
          ScriptedUpstream.reset(socket);
        } else {
          ScriptedUpstream.serveEchoes(socket, "fresh ");
        }
      };

  private record Setup(Sidecar sidecar, ScriptedUpstream upstream, FirstRouteRouter router)
      implements AutoCloseable {
    @Override
    public void close() throws java.io.IOException {
      sidecar.close();
      upstream.close();
    }
  }

  private static Setup setup(
      ScriptedUpstream.Script script, UnaryOperator<Sidecar.Builder> settings) throws Exception {
    ScriptedUpstream upstream = new ScriptedUpstream(script);
    FirstRouteRouter router = new FirstRouteRouter();
    Sidecar sidecar =
        settings
            .apply(SidecarPair.ephemeral(Sidecar.builder().router(router).localAppPort(1)))
            .build()
            .start();
    sidecar.apply(
        MeshConfigs.builder()
            .service("orders", "orders")
            .cluster("orders", upstream.port())
            .build("1"));
    return new Setup(sidecar, upstream, router);
  }

  private static RawHttp.Response call(Setup setup, String method, String body) throws Exception {
    try (RawHttp raw = RawHttp.connect(setup.sidecar().outboundAddress())) {
      String head = method + " /race HTTP/1.1\r\nHost: orders\r\n";
      return raw.send(head + "Content-Length: " + body.length() + "\r\n\r\n" + body).read();
    }
  }

  @Test
  void aGetCaughtInTheRaceIsResentOnAFreshConnection() throws Exception {
    try (Setup setup = setup(RACE, b -> b)) {
      assertThat(call(setup, "GET", "").text()).isEqualTo("first");

      RawHttp.Response second = call(setup, "GET", "");

      assertThat(second.status()).isEqualTo(200);
      assertThat(second.text()).isEqualTo("fresh GET ");
      assertThat(setup.sidecar().stats().keepAliveRaceResends()).isEqualTo(1);
      assertThat(setup.upstream().accepted()).isEqualTo(2);
      await().until(() -> setup.router().openLeases() == 0);
    }
  }

  @Test
  void underTheAnyMethodPolicyAPostWithASmallBodyIsResentWithItsBody() throws Exception {
    try (Setup setup = setup(RACE, b -> b.resendPolicy(ResendPolicy.ANY_METHOD))) {
      call(setup, "GET", "");

      RawHttp.Response second = call(setup, "POST", "order-42");

      assertThat(second.status()).isEqualTo(200);
      assertThat(second.text()).isEqualTo("fresh POST order-42");
      assertThat(setup.sidecar().stats().keepAliveRaceResends()).isEqualTo(1);
    }
  }

  @Test
  void aBodyLargerThanTheResendBufferIsNotResent() throws Exception {
    try (Setup setup =
        setup(RACE, b -> b.resendBufferBytes(1024).resendPolicy(ResendPolicy.ANY_METHOD))) {
      call(setup, "GET", "");

      RawHttp.Response second = call(setup, "POST", "x".repeat(4096));

      assertThat(second.status()).isEqualTo(502);
      assertThat(second.text()).startsWith("upstream reset before response");
      assertThat(setup.sidecar().stats().keepAliveRaceResends()).isZero();
      assertThat(setup.upstream().accepted()).isEqualTo(1);
    }
  }

  @Test
  void byDefaultAPostIsNotResentButAPutIs() throws Exception {
    try (Setup setup = setup(RACE, b -> b)) {
      call(setup, "GET", "");
      assertThat(call(setup, "POST", "order-42").status()).isEqualTo(502);
    }
    try (Setup setup = setup(RACE, b -> b)) {
      call(setup, "GET", "");
      assertThat(call(setup, "PUT", "order-42").text()).isEqualTo("fresh PUT order-42");
    }
    try (Setup setup = setup(RACE, b -> b);
        RawHttp raw = RawHttp.connect(setup.sidecar().outboundAddress())) {
      call(setup, "GET", "");
      // A POST the caller marked as safe to repeat is resent.
      String keyed =
          "POST /race HTTP/1.1\r\nHost: orders\r\nIdempotency-Key: 7f3a\r\n"
              + "Content-Length: 8\r\n\r\norder-42";
      assertThat(raw.send(keyed).read().text()).isEqualTo("fresh POST order-42");
    }
  }

  @Test
  void aConnectionTheUpstreamSaidItWouldCloseIsNeverReused() throws Exception {
    // Connection 0 answers with `Connection: close` and would reset a next request on it.
    ScriptedUpstream.Script closing =
        (connection, socket) -> {
          if (connection == 0) {
            ScriptedUpstream.readRequest(socket.getInputStream());
            ScriptedUpstream.write(
                socket, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nfirst");
            socket.getInputStream().read();
            ScriptedUpstream.reset(socket);
          } else {
            ScriptedUpstream.serveEchoes(socket, "fresh ");
          }
        };
    try (Setup setup = setup(closing, b -> b)) {
      assertThat(call(setup, "GET", "").text()).isEqualTo("first");
      // A POST is never resent, so only a new connection can carry it.
      assertThat(call(setup, "POST", "order-42").text()).isEqualTo("fresh POST order-42");
    }
  }

  @Test
  void aFreshConnectionResetBeforeTheResponseIsA502NotAResend() throws Exception {
    ScriptedUpstream.Script resetAtOnce =
        (connection, socket) -> {
          ScriptedUpstream.readRequest(socket.getInputStream());
          ScriptedUpstream.reset(socket);
        };
    try (Setup setup = setup(resetAtOnce, b -> b)) {
      RawHttp.Response response = call(setup, "GET", "");

      assertThat(response.status()).isEqualTo(502);
      assertThat(response.text()).startsWith("upstream reset before response");
      assertThat(setup.sidecar().stats().keepAliveRaceResends()).isZero();
      assertThat(setup.upstream().accepted()).isEqualTo(1);
      await().until(() -> setup.router().openLeases() == 0);
    }
  }

  @Test
  void aRaceOnTheResentRequestIsNotResentTwice() throws Exception {
    ScriptedUpstream.Script raceTwice =
        (connection, socket) -> {
          if (connection == 0) {
            ScriptedUpstream.readRequest(socket.getInputStream());
            ScriptedUpstream.write(socket, ScriptedUpstream.ok("first"));
            socket.getInputStream().read();
          } else {
            socket.getInputStream().read();
          }
          reset(socket);
        };
    try (Setup setup = setup(raceTwice, b -> b)) {
      call(setup, "GET", "");

      assertThat(call(setup, "GET", "").status()).isEqualTo(502);
      assertThat(setup.sidecar().stats().keepAliveRaceResends()).isEqualTo(1);
      assertThat(setup.upstream().accepted()).isEqualTo(2);
    }
  }

  private static void reset(Socket socket) throws Exception {
    ScriptedUpstream.reset(socket);
  }
}
