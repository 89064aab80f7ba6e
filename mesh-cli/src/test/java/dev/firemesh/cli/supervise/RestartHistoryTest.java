package dev.firemesh.cli.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firemesh.cli.supervise.RestartHistory.Decision;
import dev.firemesh.cli.supervise.RestartHistory.GiveUp;
import dev.firemesh.cli.supervise.RestartHistory.Restart;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The restart policy as a state machine on a hand-moved clock: backoff doubling within the window,
 * its cap, jitter between half and all of it, giving up past the limit, and forgetting restarts
 * that left the window.
 */
class RestartHistoryTest {
  private static final long SECOND = 1_000_000_000L;

  private static final RestartPolicy POLICY =
      new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(5), 4, Duration.ofMinutes(1));

  @Test
  void backoffDoublesPerRestartWithinTheWindowUpToTheMaximum() {
    RestartHistory history = new RestartHistory(POLICY, () -> 0.999_999);
    List<Decision> decisions = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      decisions.add(history.failed(i * SECOND));
    }

    // the whole backoff, to the millisecond, as the jitter is (almost) 1
    assertThat(decisions)
        .containsExactly(
            new Restart(Duration.ofMillis(999), 1),
            new Restart(Duration.ofMillis(1999), 2),
            new Restart(Duration.ofMillis(3999), 3),
            new Restart(Duration.ofMillis(4999), 4)); // 8 s capped at 5 s
    assertThat(history.total()).isEqualTo(4);
  }

  @Test
  void oneFailureMoreThanTheLimitWithinTheWindowGivesUp() {
    RestartHistory history = new RestartHistory(POLICY, () -> 0.5);
    for (int i = 0; i < 4; i++) {
      assertThat(history.failed(i * SECOND)).isInstanceOf(Restart.class);
    }

    assertThat(history.failed(59 * SECOND)).isEqualTo(new GiveUp(4, Duration.ofMinutes(1)));
  }

  @Test
  void restartsOlderThanTheWindowNoLongerCountNorDoubleTheBackoff() {
    RestartHistory history = new RestartHistory(POLICY, () -> 0.0);
    for (int i = 0; i < 4; i++) {
      history.failed(i * SECOND);
    }

    // 60.5 s: the restart at 0 s has left the window, three remain: a restart, 8 s capped at 5 s
    assertThat(history.failed(60 * SECOND + SECOND / 2))
        .isEqualTo(new Restart(Duration.ofMillis(2500), 4));
    // long after: a clean slate, the initial backoff again (half of it, as the jitter is 0)
    assertThat(history.failed(600 * SECOND)).isEqualTo(new Restart(Duration.ofMillis(500), 1));
    assertThat(history.total()).isEqualTo(6);
  }

  @Test
  void noRestartsAllowedGivesUpAtTheFirstFailure() {
    RestartHistory history =
        new RestartHistory(
            new RestartPolicy(
                Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ofMinutes(1)),
            () -> 0.5);

    assertThat(history.failed(0)).isEqualTo(new GiveUp(0, Duration.ofMinutes(1)));
    assertThat(history.total()).isZero();
  }

  @Test
  void everyJitteredDelayLiesBetweenHalfTheBackoffAndAllOfIt() {
    SplittableRandom random = new SplittableRandom(42);
    for (int run = 0; run < 200; run++) {
      RestartPolicy policy =
          new RestartPolicy(
              Duration.ofMillis(1 + random.nextInt(5_000)),
              Duration.ofSeconds(60),
              10,
              Duration.ofHours(1));
      RestartHistory history = new RestartHistory(policy, random::nextDouble);
      for (int restart = 0; restart < 10; restart++) {
        Restart decision = (Restart) history.failed(restart * SECOND);
        Duration backoff = policy.backoff(restart);
        assertThat(decision.delay()).isBetween(Duration.ofMillis(backoff.toMillis() / 2), backoff);
      }
    }
  }

  @Test
  void aPolicyThatCannotHoldIsRefused() {
    assertThatThrownBy(
            () ->
                new RestartPolicy(
                    Duration.ofSeconds(2), Duration.ofSeconds(1), 1, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new RestartPolicy(
                    Duration.ofSeconds(1), Duration.ofSeconds(1), -1, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
