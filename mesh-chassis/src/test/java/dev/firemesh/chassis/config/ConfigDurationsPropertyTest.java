package dev.firemesh.chassis.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

/** Defaults are published in the form a Config writes; reading that form back must give them. */
class ConfigDurationsPropertyTest {
  @Property
  void aFormattedDurationReadsBackExactly(
      @ForAll @LongRange(min = 0, max = 10L * 365 * 24 * 3_600_000) long millis) {
    Duration duration = Duration.ofMillis(millis);

    assertThat(ConfigDurations.parse(ConfigDurations.format(duration))).contains(duration);
  }

  @Property
  void aNumberWithoutAUnitIsNeverADuration(@ForAll @LongRange(min = 1) long number) {
    assertThat(ConfigDurations.parse(Long.toString(number))).isEmpty();
  }

  @Property
  void parsingNeverThrows(@ForAll @StringLength(max = 12) String text) {
    ConfigDurations.parse(text);
  }
}
