package dev.firemesh.chassis.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/** A service's config as the example writes it, with one field of each kind. */
record OrdersConfig(
    @Range(min = 1, max = 1_000_000) long maxOrderQuantity,
    BigDecimal maxOrderNotional,
    @Size(min = 1) List<@Pattern("[A-Z0-9]{4}") String> allowedVenues,
    KillSwitch killSwitch,
    @DurationRange(min = "10ms", max = "5s") Duration quoteTimeout,
    Secret apiKey,
    Mode mode,
    @Range(min = 0) int retries) {

  record KillSwitch(boolean enabled, @Size(max = 40) String reason) {}

  enum Mode {
    NORMAL,
    CLOSE_ONLY,
    HALTED
  }

  /** Every field defaulted but the API key, which a Config must set. */
  static final OrdersConfig DEFAULTS =
      new OrdersConfig(
          1_000,
          new BigDecimal("5000000.00"),
          List.of("XLON", "XPAR"),
          new KillSwitch(false, "none"),
          Duration.ofMillis(250),
          null,
          Mode.NORMAL,
          3);
}
