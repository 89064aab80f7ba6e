package dev.firemesh.it;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A test's sidecars, started together and stopped together as an orchestrator rolls a fleet out and
 * tears it down. A sidecar spends most of its start waiting (for its JVM, the control plane, its
 * first configuration) and most of its stop in its drain delay (5 s by default), so one at a time a
 * test would wait for each in turn; together it waits for the slowest.
 */
final class Fleet implements AutoCloseable {
  private final List<SidecarProcess> sidecars = new CopyOnWriteArrayList<>();

  /** One sidecar started by the test itself, stopped with the others. */
  SidecarProcess add(SidecarProcess sidecar) {
    sidecars.add(sidecar);
    return sidecar;
  }

  /** One sidecar, started now. */
  SidecarProcess start(Callable<SidecarProcess> start) throws Exception {
    return add(start.call());
  }

  /**
   * Sidecars started at once, in the order given; if one fails to start, the first failure is
   * thrown once every other start has ended, and those that started are stopped with the fleet.
   */
  List<SidecarProcess> startTogether(List<Callable<SidecarProcess>> starts) throws Exception {
    List<Future<SidecarProcess>> starting = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      starts.forEach(start -> starting.add(threads.submit(start)));
    }
    List<SidecarProcess> started = new ArrayList<>();
    Exception failed = null;
    for (Future<SidecarProcess> start : starting) {
      try {
        started.add(add(start.get()));
      } catch (ExecutionException e) {
        Exception cause = e.getCause() instanceof Exception c ? c : e;
        if (failed == null) {
          failed = cause;
        } else {
          failed.addSuppressed(cause);
        }
      }
    }
    if (failed != null) {
      throw failed;
    }
    return started;
  }

  /** SIGTERM to every sidecar at once; returns when all have exited (or were killed). */
  @Override
  public void close() {
    try (ExecutorService stopping = Executors.newVirtualThreadPerTaskExecutor()) {
      for (SidecarProcess sidecar : sidecars) {
        stopping.execute(sidecar::close);
      }
    }
    sidecars.clear();
  }
}
