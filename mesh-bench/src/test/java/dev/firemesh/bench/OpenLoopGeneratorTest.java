package dev.firemesh.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

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
