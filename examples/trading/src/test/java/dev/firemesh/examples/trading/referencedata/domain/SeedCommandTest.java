package dev.firemesh.examples.trading.referencedata.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.chassis.refdata.domain.Instrument;
import dev.firemesh.chassis.refdata.domain.ReferenceSeed;
import dev.firemesh.chassis.refdata.owner.Command;
import dev.firemesh.chassis.refdata.owner.Edit;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The owner's first command and the prices market data starts from. */
class SeedCommandTest {

  @Test
  void theSeedIsOneCommandWithAFixedIdHoldingEveryRecord() {
    Command seed = SeedCommand.of();

    assertThat(seed.id()).isEqualTo("seed-v1");
    assertThat(seed.edits())
        .hasSize(
            ReferenceSeed.venues().size()
                + ReferenceSeed.instruments().size()
                + ReferenceSeed.accounts().size())
        .allMatch(edit -> edit instanceof Edit.Upsert);
    assertThat(seed.edits()).extracting(Edit::set).contains("venues", "instruments", "accounts");
  }

  @Test
  void everyInstrumentHasAPositivePreviousCloseOnItsTickTheSameEveryTime() {
    for (Instrument instrument : ReferenceSeed.instruments()) {
      BigDecimal close = PreviousClose.of(instrument);
      assertThat(close.signum()).as(instrument.isin().value()).isPositive();
      assertThat(instrument.isOnTick(close)).as(instrument.isin().value()).isTrue();
      assertThat(close).isLessThanOrEqualTo(new BigDecimal("500"));
      assertThat(PreviousClose.of(instrument)).isEqualTo(close);
    }
  }
}
