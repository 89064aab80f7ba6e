package dev.firemesh.control.admin;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The checks behind /v1/diff, /v1/rollback and /v1/revisions/{number}. */
class RevisionNumbersTest {
  @Test
  void zeroAndNegativeNumbersCannotExist() {
    assertThatThrownBy(() -> AdminApi.requireRevision(0, 4))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> org.assertj.core.api.Assertions.assertThat(e.status()).isEqualTo(400))
        .hasMessage("revision 0 does not exist; revisions start at 1");
    assertThatThrownBy(() -> AdminApi.requireRevision(-3, 4))
        .hasMessage("revision -3 does not exist; revisions start at 1");
  }

  @Test
  void numbersAboveTheLatestDoNotExistYet() {
    assertThatThrownBy(() -> AdminApi.requireRevision(99, 4))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> org.assertj.core.api.Assertions.assertThat(e.status()).isEqualTo(404))
        .hasMessage("revision 99 does not exist; the latest is 4");
    assertThatThrownBy(() -> AdminApi.requireRevision(1, 0))
        .hasMessage("revision 1 does not exist; there are no revisions yet");
  }

  @Test
  void everyRevisionFromOneToTheLatestIsFine() {
    assertThatCode(() -> AdminApi.requireRevision(1, 4)).doesNotThrowAnyException();
    assertThatCode(() -> AdminApi.requireRevision(4, 4)).doesNotThrowAnyException();
  }
}
