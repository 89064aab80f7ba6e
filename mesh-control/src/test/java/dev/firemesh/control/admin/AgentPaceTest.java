package dev.firemesh.control.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The pace the control plane sets for workloads' trust bundle polls and early renewals. */
class AgentPaceTest {

  @Test
  void theDefaultPropagationKeepsTheUsualPace() {
    Duration svidLifetimePlusAMinute = Duration.ofMinutes(61);
    assertThat(CaApi.agentPollEvery(svidLifetimePlusAMinute)).isEqualTo(Duration.ofSeconds(15));
    assertThat(CaApi.agentEarlyRenewalWithin(svidLifetimePlusAMinute))
        .isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void aShortPropagationPollsFourTimesWithinItAndRenewsWithinIt() {
    assertThat(CaApi.agentPollEvery(Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(5));
    assertThat(CaApi.agentEarlyRenewalWithin(Duration.ofSeconds(20)))
        .isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void neverMoreOftenThanEverySecond() {
    assertThat(CaApi.agentPollEvery(Duration.ZERO)).isEqualTo(Duration.ofSeconds(1));
    assertThat(CaApi.agentEarlyRenewalWithin(Duration.ofMillis(10)))
        .isEqualTo(Duration.ofSeconds(1));
  }
}
