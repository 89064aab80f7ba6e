package dev.firemesh.examples.trading.plumbing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits, before a chassis service starts, until the services it cannot start without answer through
 * its sidecar ({@code FIREMESH_OUTBOUND}): a replica loads its first snapshot as the chassis
 * starts, and fails the start if the owner is not there yet. So the processes of a fleet may be
 * started in any order; each joins the mesh once what it needs is up.
 */
public final class Dependencies {
  private static final Logger log = LoggerFactory.getLogger(Dependencies.class);

  private Dependencies() {}

  /**
   * Blocks until {@code GET path} of {@code service} answers 2xx; returns at once without a sidecar
   * (a service standing alone is told where its dependencies are).
   */
  public static void await(String service, String path) throws InterruptedException {
    String outbound = System.getenv("FIREMESH_OUTBOUND");
    if (outbound == null || outbound.isBlank()) {
      return;
    }
    URI sidecar = URI.create(outbound.contains("://") ? outbound : "http://" + outbound);
    boolean told = false;
    try (MeshHttp mesh =
        new MeshHttp(
            new InetSocketAddress(sidecar.getHost(), sidecar.getPort()), Duration.ofSeconds(5))) {
      while (true) {
        String why;
        try {
          MeshHttp.Response response = mesh.get(service, path);
          if (response.ok()) {
            if (told) {
              log.warn("{} answers: starting", service);
            }
            return;
          }
          why = "HTTP " + response.status();
        } catch (IOException e) {
          why = e.toString();
        }
        if (!told) {
          // WARN, so that it shows whatever the log level: a service that does not start says why
          log.warn("waiting for {} to answer GET {} before starting: {}", service, path, why);
          told = true;
        }
        Thread.sleep(250);
      }
    }
  }
}
