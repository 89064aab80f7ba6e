package dev.firemesh.traffic.deadline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class DeadlineHeadersTest {

  @Test
  void readsEveryGrpcTimeoutUnit() {
    assertThat(DeadlineHeaders.parseGrpcTimeout("2H")).hasValue(TimeUnit.HOURS.toNanos(2));
    assertThat(DeadlineHeaders.parseGrpcTimeout("3M")).hasValue(TimeUnit.MINUTES.toNanos(3));
    assertThat(DeadlineHeaders.parseGrpcTimeout("4S")).hasValue(TimeUnit.SECONDS.toNanos(4));
    assertThat(DeadlineHeaders.parseGrpcTimeout("250m"))
        .hasValue(TimeUnit.MILLISECONDS.toNanos(250));
    assertThat(DeadlineHeaders.parseGrpcTimeout("7u")).hasValue(7_000);
    assertThat(DeadlineHeaders.parseGrpcTimeout("99999999n")).hasValue(99_999_999);
  }

  @Test
  void refusesWhatTheGrpcSpecDoesNotAllow() {
    for (String bad : new String[] {"", "m", "10", "10s", "123456789m", "-1m", "1.5S", " 1m"}) {
      assertThat(DeadlineHeaders.parseGrpcTimeout(bad)).as(bad).isEmpty();
    }
  }

  @Test
  void readsMillisecondsAndRefusesAnythingElse() {
    assertThat(DeadlineHeaders.parseTimeoutMs("0")).hasValue(0);
    assertThat(DeadlineHeaders.parseTimeoutMs("1500")).hasValue(1_500_000_000L);
    for (String bad : new String[] {"", "-5", "1e3", "12ms", "9999999999999999"}) {
      assertThat(DeadlineHeaders.parseTimeoutMs(bad)).as(bad).isEmpty();
    }
  }

  /** Parsers of headers any caller may send: never an exception, whatever the bytes. */
  @Property
  void parsingArbitraryTextNeverFails(@ForAll String value) {
    OptionalLong grpc = DeadlineHeaders.parseGrpcTimeout(value);
    OptionalLong millis = DeadlineHeaders.parseTimeoutMs(value);
    grpc.ifPresent(nanos -> assertThat(nanos).isNotNegative());
    millis.ifPresent(nanos -> assertThat(nanos).isNotNegative());
  }

  /** What one hop writes, the next reads as no more time than there was, and nearly all of it. */
  @Property
  void aWrittenGrpcTimeoutReadsBackAsAtMostTheTimeLeft(
      @ForAll @LongRange(min = 0, max = 360_000_000_000_000L) long nanos) {
    String written = DeadlineHeaders.formatGrpcTimeout(nanos);
    long read = DeadlineHeaders.parseGrpcTimeout(written).orElseThrow();
    assertThat(written.length()).isLessThanOrEqualTo(9);
    assertThat(read).isLessThanOrEqualTo(nanos);
    // Rounding down to an eight-digit count of the finest unit that fits loses less than one unit,
    // which is at most a hundred-thousandth of the time (units grow by 1000, then by 60).
    assertThat(nanos - read).isLessThanOrEqualTo(nanos / 100_000);
  }

  @Property
  void aWrittenMillisecondTimeoutReadsBackRoundedDown(
      @ForAll @LongRange(min = 0, max = 86_400_000_000_000L) long nanos) {
    long read =
        DeadlineHeaders.parseTimeoutMs(DeadlineHeaders.formatTimeoutMs(nanos)).orElseThrow();
    assertThat(read).isLessThanOrEqualTo(nanos).isGreaterThan(nanos - 1_000_000);
  }
}
