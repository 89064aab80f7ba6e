package dev.firemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firemesh.proxy.testing.FirstRouteRouter;
import dev.firemesh.proxy.testing.SidecarPair;
import dev.firemesh.proxy.testing.TestApp;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sidecar's report of its own footprint on the admin port, read as an operator would. */
class FootprintReportTest {
  private static final Pattern SAMPLE =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (-?[0-9.eE+-]+|NaN|[+-]Inf)");

  private final HttpClient http = HttpClient.newHttpClient();
  private final StallingAllocator allocator = new StallingAllocator();
  private TestApp app;
  private Sidecar sidecar;

  @BeforeEach
  void start() throws Exception {
    app = new TestApp().start();
    sidecar =
        SidecarPair.ephemeral(
                Sidecar.builder()
                    .router(new FirstRouteRouter())
                    .localAppPort(app.port())
                    .allocator(allocator))
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    sidecar.close();
    app.close();
  }

  private HttpResponse<String> admin(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + sidecar.adminAddress().getPort() + path);
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  private Map<String, Long> stats() throws Exception {
    HttpResponse<String> page = admin("/stats");
    assertThat(page.statusCode()).isEqualTo(200);
    Map<String, Long> values = new HashMap<>();
    page.body()
        .lines()
        .forEach(
            line -> {
              String[] parts = line.split(" ");
              assertThat(parts).as(line).hasSize(2);
              values.put(parts[0], Long.parseLong(parts[1]));
            });
    return values;
  }

  @Test
  void statsShowHeapResidentMemoryBuffersGcThreadsAndLag() throws Exception {
    Map<String, Long> stats = stats();

    assertThat(stats.get("jvm.heap.used_bytes")).isPositive();
    assertThat(stats.get("process.resident_bytes")).isGreaterThan(stats.get("jvm.heap.used_bytes"));
    assertThat(stats.get("process.resident_private_bytes"))
        .isPositive()
        .isLessThanOrEqualTo(stats.get("process.resident_bytes"));
    assertThat(stats.get("jvm.heap.committed_bytes"))
        .isGreaterThanOrEqualTo(stats.get("jvm.heap.used_bytes"))
        .isLessThanOrEqualTo(stats.get("jvm.heap.max_bytes"));
    assertThat(stats.get("jvm.nonheap.used_bytes")).isPositive();
    assertThat(stats.get("jvm.threads")).isPositive();
    assertThat(stats.get("process.uptime_ms")).isPositive();
    assertThat(stats)
        .containsKeys(
            "allocator.direct.used_bytes",
            "jvm.buffer.direct.used_bytes",
            "jvm.gc.collections",
            "jvm.gc.pause_ms",
            "event_loop.lag.max_us",
            "event_loop.lag.p99_us",
            "listener.outbound.responses.2xx");
  }

  @Test
  void prometheusPageIsWellFormedTextExposition() throws Exception {
    HttpResponse<String> page = admin("/stats/prometheus");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    Map<String, String> types = new HashMap<>();
    Set<String> helped = new HashSet<>();
    Map<String, Double> samples = new HashMap<>();
    for (String line : page.body().lines().toList()) {
      if (line.startsWith("# HELP ")) {
        assertThat(helped.add(line.split(" ")[2])).as("one HELP per family: " + line).isTrue();
      } else if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        assertThat(types.put(parts[2], parts[3])).as("one TYPE per family: " + line).isNull();
        assertThat(parts[3]).isIn("counter", "gauge", "summary", "histogram");
      } else {
        Matcher m = SAMPLE.matcher(line);
        assertThat(m.matches()).as("a sample line: " + line).isTrue();
        String family = m.group(1).replaceFirst("_(sum|count|bucket)$", "");
        assertThat(types).as("TYPE before the samples of " + m.group(1)).containsKey(family);
        if (types.get(family).equals("counter")) {
          assertThat(family).endsWith("_total");
        }
        samples.put(
            m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.valueOf(m.group(3)));
      }
    }
    assertThat(types.keySet()).allMatch(name -> name.startsWith("firemesh_proxy_"));
    assertThat(samples.get("firemesh_proxy_heap_used_bytes")).isPositive();
    assertThat(samples.get("firemesh_proxy_resident_memory_bytes"))
        .isGreaterThan(samples.get("firemesh_proxy_heap_used_bytes"));
    assertThat(types)
        .containsEntry("firemesh_proxy_event_loop_lag_seconds", "summary")
        .containsEntry("firemesh_proxy_event_loop_lag_max_seconds", "gauge")
        .containsEntry("firemesh_proxy_gc_collections_total", "counter")
        .containsEntry("firemesh_proxy_responses_total", "counter");
    assertThat(samples)
        .containsKeys(
            "firemesh_proxy_event_loop_lag_seconds{quantile=\"0.99\"}",
            "firemesh_proxy_event_loop_lag_seconds_count",
            "firemesh_proxy_buffer_pool_used_bytes{kind=\"direct\"}",
            "firemesh_proxy_responses_total{listener=\"outbound\",status_class=\"2xx\"}",
            "firemesh_proxy_threads",
            "firemesh_proxy_uptime_seconds");
  }

  @Test
  void lagRisesWhenTheEventLoopIsBlocked() throws Exception {
    await().until(() -> stats().get("event_loop.lag.window_ticks") >= 2);

    // The next buffer the sidecar's event loop allocates (reading or answering this request)
    // blocks it for 400 ms.
    allocator.stallNextAllocationOnAnEventLoop(Duration.ofMillis(400));
    assertThat(admin("/ready").statusCode()).isEqualTo(503);
    assertThat(allocator.stalled()).isTrue();

    // A tick falls due at most 100 ms into the block and runs when it ends: >= 300 ms late.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(stats().get("event_loop.lag.max_us")).isGreaterThanOrEqualTo(300_000));
    String prometheus = admin("/stats/prometheus").body();
    double max =
        Double.parseDouble(
            prometheus
                .lines()
                .filter(l -> l.startsWith("firemesh_proxy_event_loop_lag_max_seconds "))
                .findFirst()
                .orElseThrow()
                .split(" ")[1]);
    assertThat(max).isGreaterThanOrEqualTo(0.3);
  }

  /** The pooled allocator, but able to block the event loop that next asks it for a buffer. */
  private static final class StallingAllocator extends PooledByteBufAllocator {
    private volatile long stallMillis;
    private volatile boolean stalled;

    StallingAllocator() {
      super(true);
    }

    void stallNextAllocationOnAnEventLoop(Duration stall) {
      stalled = false;
      stallMillis = stall.toMillis();
    }

    boolean stalled() {
      return stalled;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      long millis = stallMillis;
      if (millis > 0 && Thread.currentThread().getName().startsWith("firemesh-proxy")) {
        stallMillis = 0;
        try {
          Thread.sleep(millis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        stalled = true;
      }
      return super.newDirectBuffer(initialCapacity, maxCapacity);
    }
  }
}
