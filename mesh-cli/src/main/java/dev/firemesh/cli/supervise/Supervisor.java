package dev.firemesh.cli.supervise;

import dev.firemesh.api.codec.Durations;
import dev.firemesh.cli.supervise.AppStatus.State;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the app and keeps it running: starts it, makes the instance an endpoint once the app listens
 * on its ports and passes its health check, takes it out again the moment the app ends or fails its
 * health check {@code unhealthyThreshold} times in a row, and starts it again under the {@link
 * RestartPolicy}. An app that exits 0 on its own has finished (a batch job); one that fails more
 * often than the policy allows is given up on.
 *
 * <pre>{@code
 * Supervisor supervisor = new Supervisor(config, probe, membership, status::set);
 * Signal.handle(new Signal("TERM"), s -> supervisor.requestStop());
 * switch (supervisor.run()) { ... }   // blocks until one of the outcomes
 * supervisor.stopApp();               // after Stopped: SIGTERM, then SIGKILL after the grace
 * }</pre>
 *
 * <p>{@link #run} owns every decision on the calling thread; the app's exit and stop requests reach
 * it as events, so no state is shared but the published {@link AppStatus}.
 */
public final class Supervisor {
  private static final Duration READY_PROBE_INTERVAL = Duration.ofMillis(200);
  private static final Duration WAITING_NOTICE_EVERY = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

  /** How supervision ended. */
  public sealed interface Outcome {}

  /** The app exited 0 on its own. */
  public record Finished() implements Outcome {}

  /**
   * The supervisor was asked to stop; the app, if running, awaits {@link #stopApp()}.
   *
   * @param wasEndpoint whether the instance was registered until now: callers need the drain delay
   *     to learn it has left
   */
  public record Stopped(boolean wasEndpoint) implements Outcome {}

  /** The app failed more often than the restart policy allows; {@code message} says how. */
  public record GaveUp(String message) implements Outcome {}

  private sealed interface Event {}

  private record AppEnded(AppProcess app, int code) implements Event {}

  private record StopRequested() implements Event {}

  /** How one life of the app ended. */
  private sealed interface Ending {}

  private record EndedCleanly() implements Ending {}

  private record Failed(String reason) implements Ending {}

  private record StopAsked(boolean wasEndpoint) implements Ending {}

  private final SupervisorConfig config;
  private final AppProbe probe;
  private final Membership membership;
  private final Consumer<AppStatus> publish;
  private final RestartHistory history;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

  // Owned by the thread in run() (and, after it returned, stopApp()).
  private AppProcess app;
  private long starts;
  private int consecutiveFailures;
  private long healthCheckFailures;
  private boolean registered;
  private Optional<AppStatus.Exit> lastExit = Optional.empty();
  private Optional<Instant> nextStart = Optional.empty();

  public Supervisor(
      SupervisorConfig config, AppProbe probe, Membership membership, Consumer<AppStatus> publish) {
    this(config, probe, membership, publish, () -> ThreadLocalRandom.current().nextDouble());
  }

  Supervisor(
      SupervisorConfig config,
      AppProbe probe,
      Membership membership,
      Consumer<AppStatus> publish,
      DoubleSupplier jitter) {
    this.config = config;
    this.probe = probe;
    this.membership = membership;
    this.publish = publish;
    this.history = new RestartHistory(config.restarts(), jitter);
  }

  /** Asks {@link #run} to return {@link Stopped}; any thread, any number of times. */
  public void requestStop() {
    events.add(new StopRequested());
  }

  /** Supervises until the app finishes, is given up on, or a stop is requested. */
  public Outcome run() throws InterruptedException {
    while (true) {
      Ending ending = live();
      switch (ending) {
        case StopAsked(boolean wasEndpoint) -> {
          publish(State.STOPPING);
          return new Stopped(wasEndpoint);
        }
        case EndedCleanly e -> {
          log.info("the app finished (exit code 0): stopping the sidecar");
          publish(State.FINISHED);
          return new Finished();
        }
        case Failed(String reason) -> {
          switch (history.failed(System.nanoTime())) {
            case RestartHistory.GiveUp(int restarts, Duration window) -> {
              String message =
                  "gave up on the app after "
                      + restarts
                      + (restarts == 1 ? " restart" : " restarts")
                      + " within "
                      + Durations.format(window)
                      + " (--max-restarts "
                      + config.restarts().maxRestarts()
                      + " per --restart-window); last: "
                      + reason;
              log.error(message);
              publish(State.GAVE_UP);
              return new GaveUp(message);
            }
            case RestartHistory.Restart(Duration delay, int restart) -> {
              log.warn(
                  "restarting the app in {} (restart {} of at most {} within {}): {}",
                  Durations.format(delay),
                  restart,
                  config.restarts().maxRestarts(),
                  Durations.format(config.restarts().window()),
                  reason);
              nextStart = Optional.of(Instant.now().plus(delay));
              publish(State.BACKOFF);
              if (await(delay) instanceof StopRequested) {
                nextStart = Optional.empty();
                publish(State.STOPPING);
                return new Stopped(false);
              }
              nextStart = Optional.empty();
            }
          }
        }
      }
    }
  }

  /**
   * Stops the app, if one runs: SIGTERM, then SIGKILL after the grace. For the command, once {@link
   * #run} returned {@link Stopped}.
   */
  public void stopApp() {
    AppProcess running = app;
    if (running != null) {
      try {
        if (running.alive()) {
          log.info(
              "stopping the app pid={} (SIGTERM, SIGKILL after {})",
              running.pid(),
              Durations.format(config.stopGrace()));
          int code = running.stop(config.stopGrace());
          ended(running, code, "stopped (exit code " + code + ")");
        } else {
          // A Ctrl-C in a terminal reaches the app as well as the supervisor.
          ended(running, running.exit().join(), "ended by itself while stopping");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    app = null;
    publish(State.STOPPED);
  }

  /** One life of the app: start, wait until ready, serve, end. */
  private Ending live() throws InterruptedException {
    AppProcess started;
    try {
      started = AppProcess.start(config.command(), config.environment(), config.stopGrace());
    } catch (IOException e) {
      String reason = "cannot start " + config.command().getFirst() + ": " + e.getMessage();
      log.error(reason);
      lastExit = Optional.of(new AppStatus.Exit(0, -1, reason, Instant.now()));
      return new Failed(reason);
    }
    app = started;
    starts++;
    consecutiveFailures = 0;
    started.exit().thenAccept(code -> events.add(new AppEnded(started, code)));
    log.info("app started pid={} command={}", started.pid(), config.command());
    publish(State.STARTING);

    Ending notReady = awaitReady(started);
    if (notReady != null) {
      return notReady;
    }
    membership.join();
    registered = membership != Membership.NONE; // an app that serves nothing is no endpoint
    publish(State.SERVING);
    Ending ending = serve(started);
    if (registered) {
      registered = false;
      membership.leave();
    }
    return ending;
  }

  /** Until the app listens and is healthy: null then, else how its life ended. */
  private Ending awaitReady(AppProcess started) throws InterruptedException {
    long begin = System.nanoTime();
    long deadline = begin + config.readyTimeout().toNanos();
    long nextNotice = begin + WAITING_NOTICE_EVERY.toNanos();
    while (true) {
      Event event = events.poll(READY_PROBE_INTERVAL.toNanos(), TimeUnit.NANOSECONDS);
      if (event instanceof StopRequested) {
        return new StopAsked(false);
      }
      if (event instanceof AppEnded(AppProcess ended, int code) && ended == started) {
        return endedOnItsOwn(started, code);
      }
      List<Integer> closed = probe.closedPorts();
      Optional<String> notYet =
          closed.isEmpty()
              ? probe.unhealthy()
              : Optional.of("not listening on 127.0.0.1:" + closed);
      if (notYet.isEmpty()) {
        log.info(
            "app ready pid={} after {}",
            started.pid(),
            Durations.format(Duration.ofMillis((System.nanoTime() - begin) / 1_000_000)));
        return null;
      }
      long now = System.nanoTime();
      if (now - deadline >= 0) {
        String reason =
            "not ready within " + Durations.format(config.readyTimeout()) + ": " + notYet.get();
        log.warn("the app pid={} is {}; stopping it", started.pid(), reason);
        kill(started, reason);
        return new Failed(reason);
      }
      if (now - nextNotice >= 0) {
        log.info("waiting for the app pid={} to be ready: {}", started.pid(), notYet.get());
        nextNotice = now + WAITING_NOTICE_EVERY.toNanos();
      }
    }
  }

  /** While the app serves: watches its exit and, with a health path, its health. */
  private Ending serve(AppProcess started) throws InterruptedException {
    long nextCheck = System.nanoTime() + config.healthInterval().toNanos();
    while (true) {
      Event event =
          probe.hasHealthCheck()
              ? events.poll(Math.max(0, nextCheck - System.nanoTime()), TimeUnit.NANOSECONDS)
              : events.take();
      if (event instanceof StopRequested) {
        return new StopAsked(registered);
      }
      if (event instanceof AppEnded(AppProcess ended, int code)) {
        if (ended == started) {
          return endedOnItsOwn(started, code);
        }
        continue; // a process stopped earlier, reported late
      }
      nextCheck = System.nanoTime() + config.healthInterval().toNanos();
      Optional<String> sick = probe.unhealthy();
      if (sick.isEmpty()) {
        if (consecutiveFailures > 0) {
          log.info("the app is healthy again after {} failed checks", consecutiveFailures);
          consecutiveFailures = 0;
          publish(State.SERVING);
        }
        continue;
      }
      consecutiveFailures++;
      healthCheckFailures++;
      log.warn(
          "app unhealthy {}/{} pid={}: {}",
          consecutiveFailures,
          config.unhealthyThreshold(),
          started.pid(),
          sick.get());
      if (consecutiveFailures < config.unhealthyThreshold()) {
        publish(State.UNHEALTHY);
        continue;
      }
      String reason =
          "unhealthy: "
              + consecutiveFailures
              + " failed health checks in a row, last "
              + sick.get();
      // Out of discovery before it is stopped, so callers move away first.
      registered = false;
      membership.leave();
      log.warn("the app pid={} is {}; stopping it", started.pid(), reason);
      kill(started, reason);
      return new Failed(reason);
    }
  }

  private Ending endedOnItsOwn(AppProcess ended, int code) {
    ended(ended, code, code == 0 ? "finished (exit code 0)" : "exited with code " + code);
    return code == 0 ? new EndedCleanly() : new Failed("exited with code " + code);
  }

  private void kill(AppProcess running, String reason) throws InterruptedException {
    int code = running.stop(config.stopGrace());
    ended(running, code, reason);
  }

  private void ended(AppProcess ended, int code, String reason) {
    log.info("app exited pid={} code={}: {}", ended.pid(), code, reason);
    lastExit = Optional.of(new AppStatus.Exit(ended.pid(), code, reason, Instant.now()));
    if (app == ended) {
      app = null;
    }
  }

  /** Waits {@code delay} unless a stop is requested first; app exits seen meanwhile are stale. */
  private Event await(Duration delay) throws InterruptedException {
    long deadline = System.nanoTime() + delay.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      Event event = events.poll(left, TimeUnit.NANOSECONDS);
      if (event instanceof StopRequested) {
        return event;
      }
    }
  }

  private void publish(State state) {
    AppProcess running = app;
    publish.accept(
        new AppStatus(
            state,
            running != null ? OptionalLong.of(running.pid()) : OptionalLong.empty(),
            starts,
            history.total(),
            consecutiveFailures,
            healthCheckFailures,
            registered,
            lastExit,
            nextStart));
  }
}
