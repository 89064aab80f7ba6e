package dev.firemesh.it;

import static org.awaitility.Awaitility.await;

import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
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

  /**
   * {@code firemesh proxy} options for a sidecar of the app on {@code appPort}, with {@code labels}
   * ({@code key=value}), that exits as soon as it has deregistered and its connections have ended
   * when it is stopped: the default drain delay (5 s of serving while callers learn it is going)
   * matters to the tests about stopping an instance under traffic, which keep it, and only makes
   * every other test's teardown wait.
   */
  static List<String> options(int appPort, String... labels) {
    List<String> options =
        new ArrayList<>(List.of("--app-port", Integer.toString(appPort), "--drain-delay", "0s"));
    for (String label : labels) {
      options.add("-l");
      options.add(label);
    }
    return options;
  }

  /**
   * What starts one sidecar of {@code service} for the app on {@code appPort} with {@link
   * #options}, for {@link #startTogether}.
   */
  static Callable<SidecarProcess> sidecar(
      Path controlDataDir,
      Path work,
      String service,
      String instanceId,
      int appPort,
      String... labels) {
    return () ->
        SidecarProcess.start(controlDataDir, work, service, instanceId, options(appPort, labels));
  }

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

  /**
   * Until calls to {@code uri} through {@code caller}'s sidecar have been answered by each of
   * {@code answers} (the apps' names): sidecars started together are all ready at about the same
   * time, a moment before each has learnt of the others, and a test that counts every failed call
   * starts its traffic after that, as it would have after starting them one by one.
   */
  static void awaitRouting(SidecarProcess caller, String uri, Collection<String> answers) {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    try (HttpClient client =
        HttpClient.newBuilder()
            .proxy(ProxySelector.of(caller.outbound()))
            .connectTimeout(Duration.ofSeconds(5))
            .build()) {
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () -> {
                HttpResponse<String> response =
                    client.send(
                        HttpRequest.newBuilder(URI.create(uri))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                  seen.add(response.body());
                }
                return seen.containsAll(answers);
              });
    }
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
