package dev.firemesh.control.scrape;

import dev.firemesh.xds.server.NodeStatus;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the exposition of every connected sidecar that announced its admin address ({@code
 * /stats/prometheus}), all at once on virtual threads, each with short timeouts. A sidecar that
 * does not answer in time, answers other than 200 or sends more than {@value #MAX_BYTES} bytes is
 * left out of this scrape (logged) and counted as failed; the figures are then those of the
 * sidecars that answered. Shared by the canary controller and the telemetry collector: each asks
 * for the metric families it reads by prefix, so neither pays for the other's.
 */
public final class SidecarScraper {
  private static final Logger log = LoggerFactory.getLogger(SidecarScraper.class);
  public static final int MAX_BYTES = 4 * 1024 * 1024;
  private static final String PATH = "/stats/prometheus";

  /**
   * One scrape: the samples of each sidecar that answered, by xDS node id, and how many were asked.
   */
  public record Scrape(Map<String, ExpositionText.Parsed> sidecars, int asked) {
    public Scrape {
      sidecars = Map.copyOf(sidecars);
    }

    /** Sidecars asked that gave nothing usable. */
    public int failed() {
      return asked - sidecars.size();
    }
  }

  private final HttpClient http;
  private final Duration requestTimeout;

  public SidecarScraper(Duration connectTimeout, Duration requestTimeout) {
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    this.requestTimeout = requestTimeout;
  }

  /**
   * Every connected sidecar's samples whose names start with {@code prefix}.
   *
   * @param nodes the xDS nodes this replica serves; those without an admin address are not asked
   */
  public Scrape scrape(List<NodeStatus> nodes, String prefix) {
    Map<String, Future<Optional<ExpositionText.Parsed>>> pending = new HashMap<>();
    ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    Map<String, ExpositionText.Parsed> answered = new HashMap<>();
    try {
      for (NodeStatus node : nodes) {
        if (!node.connected() || node.adminAddress().isEmpty()) {
          continue;
        }
        String address = node.adminAddress().get();
        pending.put(node.nodeId(), threads.submit(() -> read(node.nodeId(), address, prefix)));
      }
      // The request timeout bounds the wait for a head; this bounds a body that trickles.
      long deadline = System.nanoTime() + requestTimeout.multipliedBy(2).toNanos();
      for (Map.Entry<String, Future<Optional<ExpositionText.Parsed>>> e : pending.entrySet()) {
        try {
          e.getValue()
              .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
              .ifPresent(parsed -> answered.put(e.getKey(), parsed));
        } catch (TimeoutException timeout) {
          log.warn("sidecar skipped node={}: its metrics did not arrive in time", e.getKey());
        } catch (ExecutionException failed) {
          log.warn("sidecar skipped node={}: {}", e.getKey(), failed.getCause().toString());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      threads.shutdownNow(); // stragglers are interrupted, not waited for
    }
    if (answered.size() < pending.size()) {
      log.debug("scrape: {} of {} sidecars answered", answered.size(), pending.size());
    }
    return new Scrape(answered, pending.size());
  }

  private Optional<ExpositionText.Parsed> read(String nodeId, String address, String prefix) {
    URI uri;
    try {
      uri = URI.create("http://" + address + PATH);
      if (uri.getHost() == null || uri.getPort() < 1 || !PATH.equals(uri.getRawPath())) {
        throw new IllegalArgumentException("not host:port");
      }
    } catch (IllegalArgumentException e) {
      log.warn("sidecar skipped node={} admin={}: not an address", nodeId, address);
      return Optional.empty();
    }
    try {
      HttpResponse<InputStream> response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          log.warn(
              "sidecar skipped node={} admin={}: answered {}",
              nodeId,
              address,
              response.statusCode());
          return Optional.empty();
        }
        byte[] bytes = body.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
          log.warn(
              "sidecar skipped node={} admin={}: metrics over {} bytes",
              nodeId,
              address,
              MAX_BYTES);
          return Optional.empty();
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        ExpositionText.Parsed parsed = ExpositionText.parse(text, prefix);
        if (parsed.malformed() > 0) {
          log.debug("node={} sent {} unreadable metric lines", nodeId, parsed.malformed());
        }
        return Optional.of(parsed);
      }
    } catch (IOException e) {
      log.warn("sidecar skipped node={} admin={}: {}", nodeId, address, e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
