package dev.firemesh.control.ca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.store.ca.CaCertificate;
import dev.firemesh.store.ca.StoredKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExpiryWatchTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration THIRTY_DAYS = Duration.ofDays(30);

  private static CaCertificate lasting(Duration lifetime, CaCertificate.State state) {
    return new CaCertificate(
        "f",
        CaCertificate.Role.INTERMEDIATE,
        Optional.of("r"),
        "CN=i",
        "01",
        "pem",
        new StoredKey.None(),
        state,
        START,
        START.plus(lifetime));
  }

  @Test
  void aOneYearCertificateWarnsAtTwentyPercentLeftBecauseThatComesFirst() {
    CaCertificate year = lasting(Duration.ofDays(365), CaCertificate.State.ACTIVE);

    assertThat(ExpiryWatch.standing(year, THIRTY_DAYS, START.plus(Duration.ofDays(291))).warning())
        .isEmpty();
    assertThat(ExpiryWatch.standing(year, THIRTY_DAYS, START.plus(Duration.ofDays(293))).warning())
        .hasValueSatisfying(w -> assertThat(w).startsWith("expires in 72 days"));
  }

  @Test
  void aShortCertificateWarnsThirtyDaysAheadWhenThatComesFirst() {
    CaCertificate ninety = lasting(Duration.ofDays(90), CaCertificate.State.ACTIVE);

    assertThat(ExpiryWatch.standing(ninety, THIRTY_DAYS, START.plus(Duration.ofDays(59))).warning())
        .isEmpty();
    assertThat(ExpiryWatch.standing(ninety, THIRTY_DAYS, START.plus(Duration.ofDays(61))).warning())
        .isPresent();
  }

  @Test
  void anExpiredCertificateSaysSoAndARetiredOneIsQuiet() {
    CaCertificate day = lasting(Duration.ofDays(1), CaCertificate.State.ACTIVE);
    ExpiryWatch.Standing after =
        ExpiryWatch.standing(day, THIRTY_DAYS, START.plus(Duration.ofDays(3)));

    assertThat(after.warning())
        .hasValueSatisfying(w -> assertThat(w).isEqualTo("expired 2 days ago"));
    assertThat(after.daysLeft()).isEqualTo(-2);
    assertThat(
            ExpiryWatch.standing(
                    lasting(Duration.ofDays(1), CaCertificate.State.RETIRED),
                    THIRTY_DAYS,
                    START.plus(Duration.ofDays(3)))
                .warning())
        .isEmpty();
  }
}
