package dev.firemesh.chassis.events.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firemesh.chassis.events.subscription.TestEvents.Placed;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SubscriptionTest {
  private static final ProcessManager NOTHING = e -> {};

  @Test
  void defaultsAreTheDesignsAndBackoffDoublesUpToItsCap() {
    Subscription s =
        Subscription.processManager("venue-fills", NOTHING)
            .eventTypes(Placed.class)
            .eventTypes("Noted")
            .categories("order")
            .build();
    assertThat(s.isProjection()).isFalse();
    assertThat(s.partitions()).isEqualTo(8);
    assertThat(s.maxAttempts()).isEqualTo(5);
    assertThat(s.lease()).isEqualTo(Duration.ofSeconds(6));
    assertThat(s.eventClasses()).containsExactly(Placed.class);
    assertThat(s.eventTypeNames()).containsExactly("Noted");
    assertThat(s.categories()).containsExactly("order");
    assertThat(s.backoff(1)).isEqualTo(Duration.ofMillis(200));
    assertThat(s.backoff(3)).isEqualTo(Duration.ofMillis(800));
    assertThat(s.backoff(30)).isEqualTo(Duration.ofSeconds(5));
    assertThat(Subscription.projection("risk-exposure", (tx, e) -> {}).build().isProjection())
        .isTrue();
  }

  @Test
  void refusesWhatCannotWork() {
    assertThatThrownBy(() -> Subscription.processManager("Venue_Fills", NOTHING))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a-z, 0-9 and '-'");
    assertThatThrownBy(() -> Subscription.processManager("x", NOTHING).partitions(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("partitions must be 1 to 1024");
    assertThatThrownBy(() -> Subscription.processManager("x", NOTHING).maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                Subscription.processManager("x", NOTHING)
                    .backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Subscription.processManager("x", NOTHING).lease(Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
