package dev.firemesh.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OpenLoopGeneratorTest {

  private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

  @Test
  void sendsTheScheduleAndRecordsEveryAnswer() throws Exception {
    try (EchoServer echo = EchoServer.start(LOOPBACK, new EchoBody.Echo(), Optional.empty(), 1)) {
      LoadPlan plan = plan(echo, 250, 3, 256);

      LoadReport report = OpenLoopGenerator.run(plan);

      // The schedule is computed, not timed: 250/s for 2 s is exactly 500 measured requests, and
      // each is accounted for once, so a loopback echo that keeps up answers all of them.
      assertThat(report.scheduled()).isEqualTo(500);
      assertThat(report.count()).isEqualTo(500);
      assertThat(report.errors()).isZero();
      assertThat(report.unsent()).isZero();
      assertThat(report.unanswered()).isZero();
      assertThat(report.latencyMicros().count()).isEqualTo(500);
      LatencySummary l = report.latencyMicros();
      assertThat(l.p50()).isLessThanOrEqualTo(l.p90());
      assertThat(l.p90()).isLessThanOrEqualTo(l.p99());
      assertThat(l.p99()).isLessThanOrEqualTo(l.p999());
      assertThat(l.p999()).isLessThanOrEqualTo(l.max());
      assertThat(l.p50()).isPositive();
      // Open loop: the run is paced by the schedule, not by the responses. A closed loop against
      // a loopback echo would be far faster than 250/s; a broken pacer far slower. Generous bounds.
      assertThat(report.achievedRate()).isBetween(150.0, 260.0);
    }
  }

  @Test
  void aStallOfTheUpstreamShowsInTheTailInsteadOfBeingOmitted() throws Exception {
    // starts 1.2 s after the first request, i.e. 0.7 s into the measured window, for 500 ms
    Stall stall = new Stall(Duration.ofMillis(1200), Duration.ofMillis(500));
    try (EchoServer echo = EchoServer.start(LOOPBACK, new EchoBody.Echo(), Optional.of(stall), 1)) {
      LoadPlan plan = plan(echo, 200, 2, 64);

      LoadReport report = OpenLoopGenerator.run(plan);

      // Every slot of the schedule is still recorded, the stalled ones included: ~100 requests
      // were due during the stall, and each counts from its slot, not from when it got a turn.
      assertThat(report.scheduled()).isEqualTo(400);
      assertThat(report.count()).isEqualTo(400);
      assertThat(report.errors()).isZero();
      assertThat(report.latencyMicros().max()).isGreaterThanOrEqualTo(400_000);
      // A quarter of the window's slots waited behind the stall: far more than 1% of them waited
      // over 100 ms, so p99 sees it. (Linear backlog: the top 1% waited ~480 ms.)
      assertThat(report.latencyMicros().p99()).isGreaterThanOrEqualTo(300_000);
      assertThat(report.delayedSends()).isGreaterThan(50);
      // What a closed-loop tool measures (write to answer) hides it: only the two requests that
      // were in flight when the stall began saw it, well under 1% of 400.
      assertThat(report.serviceTimeMicros().p99()).isLessThan(report.latencyMicros().p99() / 2);
    }
  }

  @Test
  void aServerThatCannotKeepUpIsReportedAsOverloadNotDropped() throws Exception {
    // the whole measured window stalls, and the drain period is too short to catch up
    Stall stall = new Stall(Duration.ZERO, Duration.ofSeconds(3));
    try (EchoServer echo = EchoServer.start(LOOPBACK, new EchoBody.Echo(), Optional.of(stall), 1)) {
      LoadPlan plan =
          new LoadPlan(
              new InetSocketAddress("127.0.0.1", echo.port()),
              "echo",
              "/",
              100,
              2,
              1,
              16,
              Duration.ZERO,
              Duration.ofSeconds(1),
              Duration.ofMillis(200));

      LoadReport report = OpenLoopGenerator.run(plan);

      assertThat(report.scheduled()).isEqualTo(100);
      assertThat(report.count()).isZero();
      assertThat(report.unanswered()).isEqualTo(2); // one in flight per connection
      assertThat(report.unsent()).isEqualTo(98);
      assertThat(report.keptUp()).isFalse();
      assertThat(report.summaryLine()).contains("OVERLOADED");
    }
  }

  @Test
  void overH2EveryRequestIsAStreamAndEveryAnswerIsRecorded() throws Exception {
    try (EchoServer echo = EchoServer.start(LOOPBACK, new EchoBody.Echo(), Optional.empty(), 1)) {
      // 20 KB bodies take two DATA frames each way at the default 16 KB frame size
      LoadPlan plan = plan(echo, 250, 2, 20_000, 32, Protocol.H2);

      LoadReport report = OpenLoopGenerator.run(plan);

      assertThat(report.protocol()).as(report.summaryLine()).isEqualTo("h2");
      assertThat(report.scheduled()).isEqualTo(500);
      assertThat(report.count()).isEqualTo(500);
      assertThat(report.errors()).isZero();
      assertThat(report.unsent()).isZero();
      assertThat(report.unanswered()).isZero();
      assertThat(report.reconnects()).isZero();
      assertThat(report.latencyMicros().count()).isEqualTo(500);
      assertThat(report.latencyMicros().p50()).isPositive();
      assertThat(report.latencyMicros().percentiles()).isNotEmpty();
    }
  }

  @Test
  void overH2AStallIsCountedFromEachRequestsSlotAndFullConnectionsBacklog() throws Exception {
    Stall stall = new Stall(Duration.ofMillis(1200), Duration.ofMillis(500));
    try (EchoServer echo = EchoServer.start(LOOPBACK, new EchoBody.Echo(), Optional.of(stall), 1)) {
      // 8 streams per connection: 16 requests go out during the stall, the other ~84 wait
      LoadPlan plan = plan(echo, 200, 2, 64, 8, Protocol.H2);

      LoadReport report = OpenLoopGenerator.run(plan);

      assertThat(report.scheduled()).isEqualTo(400);
      assertThat(report.count()).as(report.summaryLine()).isEqualTo(400);
      assertThat(report.errors()).isZero();
      assertThat(report.latencyMicros().max()).isGreaterThanOrEqualTo(400_000);
      assertThat(report.latencyMicros().p99()).isGreaterThanOrEqualTo(300_000);
      assertThat(report.delayedSends()).isGreaterThan(50);
    }
  }

  @Test
  void overH2AServerThatCannotKeepUpLeavesStreamsUnansweredAndSlotsUnsent() throws Exception {
    Stall stall = new Stall(Duration.ZERO, Duration.ofSeconds(3));
    try (EchoServer echo = EchoServer.start(LOOPBACK, new EchoBody.Echo(), Optional.of(stall), 1)) {
      LoadPlan plan =
          new LoadPlan(
              new InetSocketAddress("127.0.0.1", echo.port()),
              "echo",
              "/",
              100,
              2,
              5,
              16,
              Duration.ZERO,
              Duration.ofSeconds(1),
              Duration.ofMillis(200),
              Protocol.H2);

      LoadReport report = OpenLoopGenerator.run(plan);

      // open loop: each connection fills its 5 streams and the rest of the schedule waits
      assertThat(report.scheduled()).isEqualTo(100);
      assertThat(report.count()).isZero();
      assertThat(report.unanswered()).as(report.summaryLine()).isEqualTo(10);
      assertThat(report.unsent()).isEqualTo(90);
      assertThat(report.summaryLine()).contains("OVERLOADED");
    }
  }

  @Test
  void aConnectionCloseAnswerIsNoErrorAndTheConnectionReconnects() throws Exception {
    try (EchoServer echo =
        EchoServer.start(LOOPBACK, new EchoBody.Echo(), Optional.empty(), 1, 10)) {
      LoadPlan plan = plan(echo, 200, 2, 64, 1, Protocol.HTTP1);

      LoadReport report = OpenLoopGenerator.run(plan);

      // 500 requests (warm-up included) over connections closed after every 10th answer
      assertThat(report.scheduled()).isEqualTo(400);
      assertThat(report.count()).as(report.summaryLine()).isEqualTo(400);
      assertThat(report.errors()).isZero();
      assertThat(report.keptUp()).isTrue();
      assertThat(report.reconnects()).isBetween(40L, 50L);
      assertThat(report.summaryLine()).contains("reconnects=" + report.reconnects());
    }
  }

  @Test
  void overH2AGoAwayEndsTheConnectionAndTheScheduleGoesOnOverANewOne() throws Exception {
    try (EchoServer echo =
        EchoServer.start(LOOPBACK, new EchoBody.Echo(), Optional.empty(), 1, 10)) {
      LoadPlan plan = plan(echo, 200, 2, 64, 10, Protocol.H2);

      LoadReport report = OpenLoopGenerator.run(plan);

      assertAccountedFor(report);
      assertThat(report.reconnects()).as(report.summaryLine()).isGreaterThanOrEqualTo(30);
      // a stream opened while the GOAWAY was on its way is lost: rare, never most of them
      assertThat(report.count()).isGreaterThan(report.scheduled() / 2);
      assertThat(report.keptUp()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aLostUpstreamCostsErrorsThenTheBacklogIsSentOnReconnectAndCountsFromItsSlots(
      Protocol protocol) throws Exception {
    EchoServer first = EchoServer.start(LOOPBACK, new EchoBody.Echo(), Optional.empty(), 1);
    int port = first.port();
    LoadPlan plan =
        new LoadPlan(
            new InetSocketAddress("127.0.0.1", port),
            "echo",
            "/",
            200,
            2,
            4,
            64,
            Duration.ofMillis(200),
            Duration.ofMillis(1500),
            Duration.ofSeconds(2),
            protocol);
    CompletableFuture<LoadReport> run =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return OpenLoopGenerator.run(plan);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    EchoServer second = null;
    try {
      // into the measured window (40 warm-up slots), however long the generator took to start
      while (first.answered() < 80 && !run.isDone()) {
        Thread.sleep(10);
      }
      first.close(); // every connection drops; reconnects are refused for a while
      Thread.sleep(300);
      second =
          EchoServer.start(
              new InetSocketAddress("127.0.0.1", port), new EchoBody.Echo(), Optional.empty(), 1);

      LoadReport report = run.get(30, TimeUnit.SECONDS);

      assertAccountedFor(report);
      assertThat(report.reconnects())
          .as(report.summaryLine())
          .isGreaterThanOrEqualTo(2); // each connection came back
      assertThat(report.keptUp()).isTrue();
      // ~60 slots came due during the outage: sent late, and counted from their slots
      assertThat(report.count()).isGreaterThan(report.scheduled() - 20);
      assertThat(report.latencyMicros().max()).isGreaterThanOrEqualTo(250_000);
      assertThat(report.delayedSends()).isGreaterThan(40);
    } finally {
      first.close();
      if (second != null) {
        second.close();
      }
    }
  }

  private static void assertAccountedFor(LoadReport report) {
    assertThat(report.count() + report.errors() + report.unsent() + report.unanswered())
        .as("count + errors + unsent + unanswered in %s", report.summaryLine())
        .isEqualTo(report.scheduled());
    assertThat(report.latencyMicros().count()).isEqualTo(report.count());
  }

  private static LoadPlan plan(
      EchoServer echo, int rate, int connections, int payload, int inFlight, Protocol protocol) {
    return new LoadPlan(
        new InetSocketAddress("127.0.0.1", echo.port()),
        "echo",
        "/",
        rate,
        connections,
        inFlight,
        payload,
        Duration.ofMillis(500),
        Duration.ofSeconds(2),
        // room for a cold JIT on a busy machine; a run that keeps up does not wait for it
        Duration.ofSeconds(5),
        protocol);
  }

  private static LoadPlan plan(EchoServer echo, int rate, int connections, int payload) {
    return new LoadPlan(
        new InetSocketAddress("127.0.0.1", echo.port()),
        "echo",
        "/",
        rate,
        connections,
        1,
        payload,
        Duration.ofMillis(500),
        Duration.ofSeconds(2),
        Duration.ofSeconds(2));
  }
}
