package dev.firemesh.control.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.control.operator.Authenticator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streamed answer (server-sent events) as a client sees it: each flush arrives as written, the
 * stream ends properly when the server closes, and the writer stops when the client goes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamedAnswerTest {
  private static final TestCa CA = new TestCa("test.local");

  @TempDir Path dataDir;
  private AdminToken token;
  private AdminTls tls;
  private AdminServer server;
  private final CountDownLatch writerEnded = new CountDownLatch(1);
  private final HttpClient http = CA.client();

  @BeforeEach
  void start() throws IOException {
    token = AdminToken.loadOrCreate(dataDir);
    tls = CA.adminTls();
    server =
        new AdminServer(token)
            .streamedRoute(
                "GET",
                "/v1/ticks",
                AdminServer.Access.VIEWER,
                r ->
                    new AdminServer.Streamed(
                        "text/event-stream",
                        (out, closing) -> {
                          try {
                            int n = 0;
                            do {
                              out.write(("data: " + n++ + "\n\n").getBytes(StandardCharsets.UTF_8));
                              out.flush();
                            } while (closing.pause(Duration.ofMillis(20)));
                          } finally {
                            writerEnded.countDown();
                          }
                        }))
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .start(tls, Authenticator.NOBODY);
  }

  @AfterEach
  void stop() {
    server.close();
    tls.close();
  }

  private HttpResponse<Stream<String>> open() throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/v1/ticks"))
            .header("Authorization", "Bearer " + token.value())
            .build(),
        HttpResponse.BodyHandlers.ofLines());
  }

  @Test
  void eventsArriveAsFlushedAndTheStreamEndsWhenTheServerCloses() throws Exception {
    HttpResponse<Stream<String>> response = open();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("text/event-stream");
    assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    try (Stream<String> lines = response.body()) {
      Iterator<String> it = lines.iterator();
      assertThat(it.next()).isEqualTo("data: 0");
      assertThat(it.next()).isEmpty();
      assertThat(it.next()).isEqualTo("data: 1");

      server.close();

      // the rest of what was written, then a proper end: no exception, no hang
      while (it.hasNext()) {
        assertThat(it.next()).matches("data: \\d+|");
      }
    }
    assertThat(writerEnded.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void theWriterStopsWhenTheClientGoes() throws Exception {
    HttpResponse<Stream<String>> response = open();
    try (Stream<String> lines = response.body()) {
      assertThat(lines.iterator().next()).isEqualTo("data: 0");
    }

    // the next writes fail on the closed connection and end the writer, server still open
    assertThat(writerEnded.await(30, TimeUnit.SECONDS)).isTrue();
  }
}
