package dev.firemesh.examples.trading.plumbing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service process's life: once it serves, it says so (a log line and, with {@code --ready-file},
 * the ready file), then it runs until SIGTERM or SIGINT, when what it opened is closed in reverse
 * order.
 */
public final class Lifecycle {
  private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

  private final Arguments args;
  private final List<AutoCloseable> resources = new ArrayList<>();

  public Lifecycle(Arguments args) {
    this.args = args;
  }

  /** Closed at shutdown, after everything registered later. */
  public <T extends AutoCloseable> T closeAtExit(T resource) {
    resources.add(resource);
    return resource;
  }

  /**
   * Announces that the service serves on {@code port}, then blocks until the process is asked to
   * stop.
   */
  public void serve(int port, String description) throws IOException, InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (AutoCloseable resource : resources.reversed()) {
                    try {
                      resource.close();
                    } catch (Exception e) {
                      log.warn("{}: closing {} failed: {}", args.service(), resource, e.toString());
                    }
                  }
                  log.info("{} stopped", args.service());
                  stopped.countDown();
                },
                "shutdown"));
    var ready = Json.object().put("service", args.service()).put("port", port);
    if (args.optional("ready-file").isPresent()) {
      ReadyFile.write(args.path("ready-file").orElseThrow(), ready);
    }
    log.info("{} serving on 127.0.0.1:{}: {}", args.service(), port, description);
    stopped.await();
  }
}
