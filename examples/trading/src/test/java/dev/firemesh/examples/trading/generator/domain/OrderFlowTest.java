package dev.firemesh.examples.trading.generator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.chassis.refdata.standard.Isin;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class OrderFlowTest {
  private static final Tradable BP =
      new Tradable(
          "GB0007980591",
          "BP",
          new BigDecimal("0.001"),
          new BigDecimal("4.512"),
          new BigDecimal("1.17"));
  private static final Tradable SAP =
      new Tradable(
          "DE0007164600", "SAP", new BigDecimal("0.05"), new BigDecimal("238.45"), BigDecimal.ONE);

  /** Quoted in yen: a notional in yen is some 160 times the same in euros. */
  private static final Tradable TOYOTA =
      new Tradable(
          "JP3633400001",
          "Toyota",
          new BigDecimal("0.5"),
          new BigDecimal("2845.5"),
          new BigDecimal("0.0061"));

  /** Worth six euro cents a share: a valid order's notional would be millions of shares. */
  private static final Tradable PENNY =
      new Tradable(
          "JP3236200006", "Keyence", BigDecimal.ONE, BigDecimal.TEN, new BigDecimal("0.0061"));

  @Test
  void mostOrdersAreValidAndEveryKindOfInvalidOneShows() {
    OrderFlow flow =
        new OrderFlow(
            List.of(BP, SAP, TOYOTA, PENNY),
            List.of("ACC-1", "ACC-2"),
            List.of("ACC-9"),
            0.1,
            new Random(7),
            "R1");
    Map<Intent, Integer> counts = new EnumMap<>(Intent.class);
    List<Ticket> tickets = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      Ticket t =
          flow.next(
              isin ->
                  isin.equals(BP.isin())
                      ? Optional.of(new Touch(new BigDecimal("4.510"), new BigDecimal("4.513")))
                      : Optional.empty());
      tickets.add(t);
      counts.merge(t.intent(), 1, Integer::sum);
    }
    assertThat(counts.get(Intent.VALID)).isBetween(4_300, 4_700);
    assertThat(counts.keySet()).containsExactlyInAnyOrder(Intent.values());
    assertThat(tickets.stream().map(Ticket::side).distinct())
        .containsExactlyInAnyOrder("BUY", "SELL");
    assertThat(tickets.get(41).clientOrderId()).isEqualTo("GEN-R1-0000042");

    for (Ticket t : tickets) {
      Tradable listed =
          Stream.of(SAP, TOYOTA, PENNY)
              .filter(x -> x.isin().equals(t.isin()))
              .findFirst()
              .orElse(BP);
      // In euros, as risk values it against the per-order limit.
      BigDecimal notionalEur =
          t.limitPrice().multiply(BigDecimal.valueOf(t.quantity())).multiply(listed.eurPerUnit());
      switch (t.intent()) {
        case VALID -> {
          assertThat(Isin.problem(t.isin())).isEmpty();
          assertThat(t.account()).isIn("ACC-1", "ACC-2");
          assertThat(t.limitPrice().remainder(listed.tickSize())).isZero();
          assertThat(notionalEur).isLessThan(new BigDecimal("160000"));
          assertThat(t.quantity()).isBetween(10L, OrderFlow.MAX_QUANTITY);
        }
        case UNKNOWN_INSTRUMENT -> {
          assertThat(Isin.problem(t.isin())).isEmpty();
          assertThat(t.isin()).startsWith("XS");
        }
        case BAD_CHECK_DIGIT -> assertThat(Isin.problem(t.isin())).isPresent();
        case CLOSED_ACCOUNT -> assertThat(t.account()).isEqualTo("ACC-9");
        case OVERSIZED ->
            // Over the demo's cap of EUR 1,000,000 in every currency (yen sized in yen passed).
            assertThat(notionalEur).as(t.toString()).isGreaterThan(new BigDecimal("1900000"));
        case OFF_TICK -> assertThat(t.limitPrice().remainder(listed.tickSize())).isNotZero();
      }
    }
  }

  @Test
  void withoutAQuotePricesStartFromTheReference() {
    OrderFlow flow =
        new OrderFlow(List.of(SAP), List.of("ACC-1"), List.of(), 0, new Random(1), "R1");
    for (int i = 0; i < 100; i++) {
      Ticket t = flow.next(isin -> Optional.empty());
      assertThat(t.limitPrice().subtract(SAP.referencePrice()).abs())
          .isLessThanOrEqualTo(new BigDecimal("0.10"));
    }
  }
}
