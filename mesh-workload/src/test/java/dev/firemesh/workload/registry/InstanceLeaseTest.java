package dev.firemesh.workload.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.firemesh.workload.admin.AdminCallException;
import dev.firemesh.workload.admin.AdminHttp;
import dev.firemesh.workload.admin.PlainJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lease against a stand-in for the admin API (the JDK's HTTP server): what is registered, that
 * the lease is renewed and a lapsed one registered again, and that release deregisters last.
 */
class InstanceLeaseTest {
  private static final Duration TTL = Duration.ofSeconds(3); // renewed every second
  private static final InetSocketAddress ADDRESS =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 15006);

  private HttpServer server;
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final List<String> registrations = new CopyOnWriteArrayList<>();
  // Status of the answers to come, per method; 200 unless set.
  private final AtomicInteger postStatus = new AtomicInteger(200);
  private final AtomicInteger putStatus = new AtomicInteger(200);

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/v1/instances", this::answer);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    byte[] body = exchange.getRequestBody().readAllBytes();
    calls.add(method + " " + exchange.getRequestURI().getRawPath());
    if (method.equals("POST")) {
      registrations.add(new String(body, StandardCharsets.UTF_8));
    }
    int status =
        switch (method) {
          case "POST" -> postStatus.get();
          case "PUT" -> putStatus.get();
          default -> 200;
        };
    byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, answer.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(answer);
    }
  }

  private AdminHttp admin() {
    return new AdminHttp(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "fm_secret");
  }

  @Test
  void registersTheAddressTtlAndLabelsRenewsAndDeregistersOnRelease() throws Exception {
    InstanceLease lease =
        InstanceLease.register(admin(), "orders", "orders 1", ADDRESS, TTL, Map.of("env", "prod"));
    assertThat(PlainJson.parse(registrations.getFirst()))
        .isEqualTo(
            Map.of(
                "service",
                "orders",
                "instanceId",
                "orders 1",
                "address",
                "127.0.0.1",
                "port",
                15006L,
                "ttlSeconds",
                3L,
                "labels",
                Map.of("env", "prod")));
    await().atMost(Duration.ofSeconds(30)).until(() -> calls.contains(renewal()));

    lease.release();
    assertThat(calls.getLast()).isEqualTo("DELETE /v1/instances/orders/orders%201");
    int after = calls.size();
    Thread.sleep(TTL.toMillis()); // a renewal would have come by now
    assertThat(calls).hasSize(after);
  }

  @Test
  void aLapsedLeaseIsRegisteredAgain() throws Exception {
    InstanceLease lease =
        InstanceLease.register(admin(), "orders", "orders 1", ADDRESS, TTL, Map.of());
    putStatus.set(404); // the control plane forgot us
    await().atMost(Duration.ofSeconds(30)).until(() -> registrations.size() >= 2);
    assertThat(registrations.get(1)).isEqualTo(registrations.getFirst());
    lease.release();
  }

  @Test
  void aRefusedRegistrationFailsAtOnceButRegisterOrRetryKeepsTrying() throws Exception {
    postStatus.set(503);
    assertThatThrownBy(
            () -> InstanceLease.register(admin(), "orders", "o-1", ADDRESS, TTL, Map.of()))
        .isInstanceOfSatisfying(
            AdminCallException.class, e -> assertThat(e.status()).isEqualTo(503));

    // The control plane is away: registration and renewals are refused until it is back.
    putStatus.set(503);
    InstanceLease lease =
        InstanceLease.registerOrRetry(admin(), "orders", "o-1", ADDRESS, TTL, Map.of());
    int refused = registrations.size();
    postStatus.set(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> registrations.size() > refused);
    lease.release();
    assertThat(calls.getLast()).isEqualTo("DELETE /v1/instances/orders/o-1");
  }

  private static String renewal() {
    return "PUT /v1/instances/orders/orders%201/lease";
  }
}
