package dev.firemesh.control.canary;

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
 * Reads the upstream counters of every connected sidecar that announced its admin address, all at
 * once on virtual threads, each with short timeouts. A sidecar that does not answer in time,
 * answers other than 200 or sends more than {@value #MAX_BYTES} bytes is left out of this scrape
 * (logged); the window's figures are then those of the sidecars that answered.
 */
final class SidecarScraper {
  private static final Logger log = LoggerFactory.getLogger(SidecarScraper.class);
  static final int MAX_BYTES = 4 * 1024 * 1024;
  private static final String PATH = "/stats/prometheus";

  private final HttpClient http;
  private final Duration requestTimeout;

  SidecarScraper(Duration connectTimeout, Duration requestTimeout) {
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    this.requestTimeout = requestTimeout;
  }

  /** Each answering sidecar's counters by cluster, by node id. */
  Map<String, Map<String, UpstreamCounters>> scrape(List<NodeStatus> nodes) {
    Map<String, Future<Optional<Map<String, UpstreamCounters>>>> pending = new HashMap<>();
    ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    Map<String, Map<String, UpstreamCounters>> tables = new HashMap<>();
    try {
      for (NodeStatus node : nodes) {
        if (!node.connected() || node.adminAddress().isEmpty()) {
          continue;
        }
        String address = node.adminAddress().get();
        pending.put(node.nodeId(), threads.submit(() -> read(node.nodeId(), address)));
      }
      // The request timeout bounds the wait for a head; this bounds a body that trickles.
      long deadline = System.nanoTime() + requestTimeout.multipliedBy(2).toNanos();
      for (Map.Entry<String, Future<Optional<Map<String, UpstreamCounters>>>> e :
          pending.entrySet()) {
        try {
          e.getValue()
              .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
              .ifPresent(table -> tables.put(e.getKey(), table));
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
    if (tables.size() < pending.size()) {
      log.debug("scrape: {} of {} sidecars answered", tables.size(), pending.size());
    }
    return tables;
  }

  private Optional<Map<String, UpstreamCounters>> read(String nodeId, String address) {
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
        ExpositionText.Parsed parsed = ExpositionText.parse(text, UpstreamTable.PREFIX);
        if (parsed.malformed() > 0) {
          log.debug("node={} sent {} unreadable metric lines", nodeId, parsed.malformed());
        }
        return Optional.of(UpstreamTable.read(parsed));
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
