package dev.firemesh.it;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Steady calls through a caller's sidecar, as an app makes them, on a few virtual threads until
 * closed: every answer is counted by body, every failure (a non-200 status or an exception) kept
 * with what it was, and the first time each body was seen is remembered.
 */
final class Traffic implements AutoCloseable {
  private final HttpClient client;
  private final URI uri;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> callers = new ArrayList<>();
  private final AtomicLong calls = new AtomicLong();
  private final Map<String, Long> bodies = new ConcurrentHashMap<>();
  private final Map<String, Long> firstSeenNanos = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

  private Traffic(InetSocketAddress sidecarOutbound, URI uri) {
    this.client =
        HttpClient.newBuilder()
            .proxy(ProxySelector.of(sidecarOutbound))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    this.uri = uri;
  }

  /**
   * Starts {@code concurrency} callers of {@code uri}, each pausing {@code pause} between calls.
   */
  static Traffic start(
      InetSocketAddress sidecarOutbound, String uri, int concurrency, Duration pause) {
    Traffic traffic = new Traffic(sidecarOutbound, URI.create(uri));
    for (int i = 0; i < concurrency; i++) {
      traffic.callers.add(Thread.ofVirtual().name("traffic-" + i).start(() -> traffic.run(pause)));
    }
    return traffic;
  }

  private void run(Duration pause) {
    while (running.get()) {
      try {
        HttpResponse<String> response =
            client.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        calls.incrementAndGet();
        if (response.statusCode() == 200) {
          bodies.merge(response.body(), 1L, Long::sum);
          firstSeenNanos.putIfAbsent(response.body(), System.nanoTime());
        } else {
          failures.add(response.statusCode() + " " + response.body());
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        calls.incrementAndGet();
        failures.add(e.toString());
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  long calls() {
    return calls.get();
  }

  /** Successful answers per body. */
  Map<String, Long> bodies() {
    return Map.copyOf(bodies);
  }

  /** When (System.nanoTime) a body was first answered, if ever. */
  java.util.Optional<Long> firstSeen(String body) {
    return java.util.Optional.ofNullable(firstSeenNanos.get(body));
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  /** Stops the callers and waits for their calls in flight. */
  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread caller : callers) {
      caller.join(Duration.ofSeconds(15));
    }
  }
}
