package dev.firemesh.examples.trading.referencedata.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firemesh.chassis.refdata.standard.Cfi;
import dev.firemesh.chassis.refdata.standard.Isin;
import dev.firemesh.chassis.refdata.standard.Mic;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReferenceDataTest {

  @Test
  void theSampleListsRealVenuesAndInstrumentsOnThem() {
    ReferenceData data = ReferenceData.sample();
    assertThat(data.venues())
        .extracting(v -> v.mic().code())
        .containsExactly("XLON", "XPAR", "XETR", "XNYS");
    Instrument bp = data.instrument(new Isin("GB0007980591")).orElseThrow();
    assertThat(bp.venue()).isEqualTo(new Mic("XLON"));
    assertThat(bp.currency()).isEqualTo(Currency.getInstance("GBP"));
    assertThat(bp.cfi().category()).isEqualTo("equities");
    assertThat(data.instruments()).allMatch(i -> i.isOnTick(i.previousClose()));
    assertThat(data.account("ACC-9001")).get().extracting(Account::isOpen).isEqualTo(false);
    assertThat(data.account("ACC-1001")).get().extracting(Account::isOpen).isEqualTo(true);
    assertThat(data.instrument(Isin.of("XS000000000"))).isEmpty();
  }

  @Test
  void anInstrumentOnAnUnknownVenueIsRefused() {
    Instrument orphan =
        new Instrument(
            new Isin("GB0007980591"),
            new Cfi("ESVUFR"),
            "BP",
            new Mic("XXXX"),
            Currency.getInstance("GBP"),
            new BigDecimal("0.001"),
            new BigDecimal("4.5"));
    assertThatThrownBy(() -> new ReferenceData(List.of(), List.of(orphan), List.of()))
        .hasMessageContaining("XXXX, which is no known venue");
  }

  @Test
  void pricesMustBeWholeTicks() {
    Instrument sap = ReferenceData.sample().instrument(new Isin("DE0007164600")).orElseThrow();
    assertThat(sap.isOnTick(new BigDecimal("238.45"))).isTrue();
    assertThat(sap.isOnTick(new BigDecimal("238.47"))).isFalse();
    assertThat(sap.isOnTick(BigDecimal.ZERO)).isFalse();
    assertThatThrownBy(() -> new Cfi("ESVUF")).hasMessage("CFI ESVUF: 5 characters, expected 6");
    assertThatThrownBy(() -> new Cfi("ZSVUFR")).hasMessageContaining("category Z is not one of");
  }
}
