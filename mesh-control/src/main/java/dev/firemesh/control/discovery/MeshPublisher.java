package dev.firemesh.control.discovery;

import dev.firemesh.xds.server.XdsServer;
import dev.firemesh.xds.translate.MeshState;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the xDS server in step with the store. Reload requests (from store notifications) are
 * coalesced: a burst of changes costs one reload, never a queue of them. One thread owns the work,
 * so snapshots are computed in order.
 */
public final class MeshPublisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MeshPublisher.class);

  /** What to publish: the mesh state read at (or just after) store revision {@code revision}. */
  public record Publication(long revision, MeshState state) {}

  private final Supplier<Publication> source;
  private final XdsServer xds;
  private final BlockingQueue<Boolean> pending = new ArrayBlockingQueue<>(1);
  private final Thread worker;
  private volatile boolean running = true;
  private volatile long servingRevision = -1;

  public MeshPublisher(Supplier<Publication> source, XdsServer xds) {
    this.source = source;
    this.xds = xds;
    publish();
    this.worker = Thread.ofVirtual().name("mesh-publisher").start(this::loop);
  }

  /** Asks for a reload soon; returns at once. */
  public void requestReload() {
    pending.offer(Boolean.TRUE);
  }

  private void loop() {
    while (running) {
      try {
        // The periodic reload is a safety net: it also catches a lease that lapsed while no
        // sweep has deleted it yet.
        pending.poll(5, TimeUnit.SECONDS);
        if (running) {
          publish();
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.error("recomputing the xDS snapshot failed; the previous one stays in force", e);
      }
    }
  }

  private void publish() {
    Publication publication = source.get();
    xds.update(publication.state(), publication.revision());
    servingRevision = publication.revision();
  }

  /** The store revision the xDS server is serving; -1 before the first publication. */
  public long servingRevision() {
    return servingRevision;
  }

  @Override
  public void close() {
    running = false;
    worker.interrupt();
  }
}
