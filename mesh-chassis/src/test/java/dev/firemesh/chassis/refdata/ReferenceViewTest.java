package dev.firemesh.chassis.refdata;

import static dev.firemesh.chassis.refdata.TestSets.BOOKS;
import static dev.firemesh.chassis.refdata.TestSets.DESKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firemesh.chassis.refdata.TestSets.Book;
import dev.firemesh.chassis.refdata.TestSets.Desk;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReferenceViewTest {
  private static final Instant T1 = Instant.parse("2026-11-27T09:00:00.000001Z");

  @Test
  void aNewVersionLeavesTheViewsBeforeItAsTheyWereAndSharesTheSetsItDidNotTouch() {
    ReferenceView v1 =
        ReferenceView.empty(List.of(DESKS, BOOKS))
            .edit()
            .upsert("desks", "FX", new Desk("FX", "APAC"))
            .upsert("books", "B2", new Book("B2", "FX", "USD", 1))
            .upsert("books", "B1", new Book("B1", "FX", "GBP", 1))
            .publish(1, T1);

    ReferenceView v2 =
        v1.edit()
            .delete("books", "B1")
            .upsert("books", "B3", new Book("B3", "FX", "USD", 3))
            .publish(2, T1.plusSeconds(1));

    assertThat(v1.version()).isEqualTo(1);
    assertThat(v1.of(BOOKS).keys()).containsExactly("B1", "B2");
    assertThat(v2.of(BOOKS).keys()).containsExactly("B2", "B3");
    assertThat(v2.of(BOOKS).by("currency", "USD"))
        .as("in key order")
        .containsExactly(new Book("B2", "FX", "USD", 1), new Book("B3", "FX", "USD", 3));
    assertThat(v1.of(BOOKS).by("currency", "USD")).containsExactly(new Book("B2", "FX", "USD", 1));
    assertThat(v2.of(BOOKS).by("currency", "CHF")).isEmpty();
    assertThat(v2.of(DESKS)).as("not copied").isSameAs(v1.of(DESKS));
    assertThat(v2.committedAt()).isEqualTo(T1.plusSeconds(1));
  }

  @Test
  void askingForWhatAViewDoesNotHoldIsAProgrammingError() {
    ReferenceView view = ReferenceView.empty(List.of(DESKS));
    assertThatThrownBy(() -> view.of(BOOKS)).hasMessageContaining("not 'books'");
    assertThatThrownBy(() -> view.of(DESKS).by("currency", "USD"))
        .hasMessageContaining("no index 'currency'");
    assertThatThrownBy(() -> view.edit().upsert("books", "B1", new Book("B1", "FX", "USD", 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> view.edit().publish(1, T1).edit().publish(0, T1))
        .hasMessageContaining("older");
  }
}
