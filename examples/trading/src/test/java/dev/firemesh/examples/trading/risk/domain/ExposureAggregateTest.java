package dev.firemesh.examples.trading.risk.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.chassis.cqrs.CommandTypes;
import dev.firemesh.chassis.cqrs.Decision;
import dev.firemesh.chassis.events.EventTypes;
import dev.firemesh.examples.trading.risk.domain.ExposureAggregate.OpenNotional;
import dev.firemesh.examples.trading.risk.domain.ExposureEvent.ExposureChanged;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExposureAggregateTest {
  private static final Currency GBP = Currency.getInstance("GBP");
  private final ExposureAggregate exposure = new ExposureAggregate();

  @Test
  void anAcceptedOrderBecomesTheChangeExposureGivesAndItsFillReleasesTheOpenNotional() {
    OrderEventView accepted =
        new OrderEventView.Accepted("O-1", "ACC-1", 300, new BigDecimal("4.51"), GBP);
    ExposureChanged reserved =
        changed(
            exposure.decide(exposure.initial(), new TrackOrderEvent("OrderAccepted", accepted)));
    assertThat(reserved.change()).isEqualTo(Exposure.change(accepted));
    assertThat(reserved.orderId()).isEqualTo("O-1");
    OpenNotional open = exposure.evolve(exposure.initial(), reserved);
    assertThat(open.in(GBP)).isEqualByComparingTo("1353");

    OrderEventView filled =
        new OrderEventView.Filled(
            "O-1", "ACC-1", "O-1-F1", 300, new BigDecimal("4.50"), new BigDecimal("4.51"), GBP);
    ExposureChanged released =
        changed(exposure.decide(open, new TrackOrderEvent("OrderFilled", filled)));
    assertThat(released.sourceEventType()).isEqualTo("OrderFilled");
    assertThat(exposure.evolve(open, released).in(GBP)).isEqualByComparingTo("0");
  }

  @Test
  void aRejectedOrderChangesNothingAndAnotherAccountsEventIsRejected() {
    Decision<ExposureEvent> rejectedOrder =
        exposure.decide(
            exposure.initial(),
            new TrackOrderEvent("OrderRejected", new OrderEventView.Rejected("O-2", "ACC-1", GBP)));
    assertThat(rejectedOrder).isEqualTo(Decision.accept());

    OpenNotional ofAcc1 = new OpenNotional("ACC-1", Map.of(GBP, new BigDecimal("10")));
    Decision<ExposureEvent> other =
        exposure.decide(
            ofAcc1,
            new TrackOrderEvent(
                "OrderAccepted",
                new OrderEventView.Accepted("O-3", "ACC-2", 1, BigDecimal.ONE, GBP)));
    assertThat(other)
        .isInstanceOfSatisfying(
            Decision.Reject.class,
            r -> assertThat(r.code()).isEqualTo(ExposureAggregate.WRONG_ACCOUNT));
  }

  /** As orders sends it and risk binds it: the view travels with its kind named. */
  @Test
  void theCommandTravelsAsJsonAndBindsToTheSameView() throws Exception {
    CommandTypes types = ExposureTypes.commands(CommandTypes.builder()).build();
    TrackOrderEvent command =
        new TrackOrderEvent(
            "OrderPartiallyFilled",
            new OrderEventView.Filled(
                "O-1", "ACC-1", "O-1-F1", 100, new BigDecimal("4.5"), new BigDecimal("4.51"), GBP));
    JsonNode wire = EventTypes.newMapper().readTree(types.encode(command));
    assertThat(wire.path("type").asText()).isEqualTo("TrackOrderEvent");
    assertThat(wire.path("command").path("event").path("view").asText()).isEqualTo("Filled");
    assertThat(types.decode("TrackOrderEvent", wire.path("command"))).isEqualTo(command);
  }

  private static ExposureChanged changed(Decision<ExposureEvent> decision) {
    assertThat(decision).isInstanceOf(Decision.Accept.class);
    Decision.Accept<ExposureEvent> accept = (Decision.Accept<ExposureEvent>) decision;
    assertThat(accept.events()).hasSize(1);
    return (ExposureChanged) accept.events().get(0);
  }
}
