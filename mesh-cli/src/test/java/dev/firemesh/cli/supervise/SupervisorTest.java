package dev.firemesh.cli.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.firemesh.cli.supervise.AppStatus.State;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor with real child processes ({@code sh}, {@code sleep}) and a membership that
 * records what it was told: an app that finishes, one that keeps crashing, one that fails its
 * health check, one that never gets ready, and a stop request.
 */
class SupervisorTest {
  private static final RestartPolicy QUICK =
      new RestartPolicy(Duration.ofMillis(10), Duration.ofMillis(40), 2, Duration.ofMinutes(1));

  @TempDir Path dir;

  private final List<String> membership = new CopyOnWriteArrayList<>();
  private final AtomicReference<AppStatus> status = new AtomicReference<>(AppStatus.waiting());
  private HttpServer health;

  private final Membership recording =
      new Membership() {
        @Override
        public void join() {
          membership.add("join");
        }

        @Override
        public void leave() {
          membership.add("leave");
        }
      };

  @AfterEach
  void stopHealth() {
    if (health != null) {
      health.stop(0);
    }
  }

  private Supervisor supervisor(
      List<String> command, AppProbe probe, RestartPolicy restarts, Duration readyTimeout) {
    return new Supervisor(
        new SupervisorConfig(
            command,
            Map.of("FIREMESH_TEST", "yes"),
            restarts,
            Duration.ofMillis(50),
            2,
            readyTimeout,
            Duration.ofSeconds(5)),
        probe,
        recording,
        status::set,
        () -> 0.5);
  }

  private static AppProbe noPorts() {
    return new AppProbe(List.of(), 0, Optional.empty(), Duration.ofSeconds(1));
  }

  @Test
  void anAppThatExitsZeroHasFinished() throws Exception {
    Path seen = dir.resolve("env");
    Supervisor supervisor =
        supervisor(
            List.of("sh", "-c", "echo \"$FIREMESH_TEST\" > '" + seen + "'"),
            noPorts(),
            QUICK,
            Duration.ofSeconds(5));

    assertThat(supervisor.run()).isEqualTo(new Supervisor.Finished());
    assertThat(Files.readString(seen)).isEqualTo("yes\n");
    assertThat(status.get().state()).isEqualTo(State.FINISHED);
    assertThat(status.get().starts()).isEqualTo(1);
    assertThat(status.get().restarts()).isZero();
  }

  @Test
  void aCrashingAppIsRestartedUntilTheLimitThenGivenUp() throws Exception {
    Path starts = dir.resolve("starts");
    Supervisor supervisor =
        supervisor(
            List.of("sh", "-c", "echo started >> '" + starts + "'; exit 3"),
            noPorts(),
            QUICK,
            Duration.ofSeconds(5));

    Supervisor.Outcome outcome = supervisor.run();

    assertThat(outcome).isInstanceOf(Supervisor.GaveUp.class);
    assertThat(((Supervisor.GaveUp) outcome).message())
        .contains("after 2 restarts within 1m", "exited with code 3");
    assertThat(Files.readAllLines(starts)).hasSize(3); // the first start and two restarts
    assertThat(status.get().state()).isEqualTo(State.GAVE_UP);
    assertThat(status.get().restarts()).isEqualTo(2);
    assertThat(status.get().lastExit()).get().extracting(AppStatus.Exit::code).isEqualTo(3);
  }

  @Test
  void anAppThatIsNotReadyInTimeIsStoppedAndCountsAsFailed() throws Exception {
    int closed;
    try (var socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Supervisor supervisor =
        supervisor(
            List.of("sleep", "60"),
            new AppProbe(List.of(closed), 0, Optional.empty(), Duration.ofSeconds(1)),
            new RestartPolicy(Duration.ZERO, Duration.ZERO, 0, Duration.ofMinutes(1)),
            Duration.ofMillis(500));

    Supervisor.Outcome outcome = supervisor.run();

    assertThat(((Supervisor.GaveUp) outcome).message())
        .contains("not ready within 500ms: not listening on 127.0.0.1:[" + closed + "]");
    assertThat(membership).isEmpty(); // never an endpoint
    long pid = status.get().lastExit().orElseThrow().pid();
    assertThat(ProcessHandle.of(pid)).isEmpty();
  }

  @Test
  void aPersistentlyUnhealthyAppLeavesIsRestartedAndJoinsAgainOnceHealthy() throws Exception {
    AtomicInteger answer = new AtomicInteger(200);
    health = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    health.createContext(
        "/health",
        exchange -> {
          exchange.sendResponseHeaders(answer.get(), -1);
          exchange.close();
        });
    health.start();
    int port = health.getAddress().getPort();
    Supervisor supervisor =
        supervisor(
            List.of("sleep", "60"),
            new AppProbe(List.of(port), port, Optional.of("/health"), Duration.ofSeconds(1)),
            QUICK,
            Duration.ofSeconds(10));
    CompletableFuture<Supervisor.Outcome> outcome = runInBackground(supervisor);

    await().atMost(Duration.ofSeconds(10)).until(() -> membership.equals(List.of("join")));
    long firstPid = status.get().pid().orElseThrow();
    answer.set(500);
    // two failed checks in a row (the threshold): out of discovery, stopped, restarted
    await().atMost(Duration.ofSeconds(10)).until(() -> status.get().restarts() == 1);
    assertThat(membership).containsExactly("join", "leave");
    assertThat(status.get().lastExit().orElseThrow().reason())
        .contains("unhealthy: 2 failed health checks in a row, last GET /health answered 500");
    assertThat(ProcessHandle.of(firstPid)).isEmpty();

    answer.set(200);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                membership.equals(List.of("join", "leave", "join"))
                    && status.get().state() == State.SERVING);
    assertThat(status.get().healthCheckFailures()).isGreaterThanOrEqualTo(2);

    supervisor.requestStop();
    assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(new Supervisor.Stopped(true));
    assertThat(membership).containsExactly("join", "leave", "join", "leave");
    long secondPid = status.get().pid().orElseThrow();
    supervisor.stopApp();
    assertThat(ProcessHandle.of(secondPid)).isEmpty();
    assertThat(status.get().state()).isEqualTo(State.STOPPED);
    assertThat(status.get().lastExit().orElseThrow().code()).isEqualTo(143); // SIGTERM
  }

  @Test
  void anAppThatIgnoresSigtermIsKilledAfterTheGrace() throws Exception {
    Supervisor supervisor =
        new Supervisor(
            new SupervisorConfig(
                List.of("sh", "-c", "trap '' TERM; while :; do sleep 1; done"),
                Map.of(),
                QUICK,
                Duration.ofSeconds(1),
                1,
                Duration.ofSeconds(5),
                Duration.ofMillis(300)),
            noPorts(),
            recording,
            status::set);
    CompletableFuture<Supervisor.Outcome> outcome = runInBackground(supervisor);
    await().atMost(Duration.ofSeconds(10)).until(() -> status.get().state() == State.SERVING);
    ProcessHandle app = ProcessHandle.of(status.get().pid().orElseThrow()).orElseThrow();

    supervisor.requestStop();
    assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(new Supervisor.Stopped(true));
    supervisor.stopApp();

    assertThat(app.isAlive()).isFalse();
    assertThat(status.get().lastExit().orElseThrow().code()).isEqualTo(137); // SIGKILL
  }

  private static CompletableFuture<Supervisor.Outcome> runInBackground(Supervisor supervisor) {
    CompletableFuture<Supervisor.Outcome> outcome = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                outcome.complete(supervisor.run());
              } catch (Throwable e) {
                outcome.completeExceptionally(e);
              }
            });
    return outcome;
  }
}
