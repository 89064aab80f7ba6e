package dev.firemesh.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class UnifiedDiffTest {
  /** Lines l1..ln, with line i replaced by {@code change.apply(i)} where that is not null. */
  private static String text(int n, IntFunction<String> change) {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      String changed = change.apply(i);
      text.append(changed != null ? changed : "l" + i).append('\n');
    }
    return text.toString();
  }

  private static String text(int n) {
    return text(n, i -> null);
  }

  @Test
  void equalTextsHaveNoDiff() {
    assertThat(UnifiedDiff.lines(text(5), text(5))).isEmpty();
    assertThat(UnifiedDiff.lines("", "")).isEmpty();
    // A final newline does not count as a line of its own.
    assertThat(UnifiedDiff.lines("a\n", "a")).isEmpty();
  }

  @Test
  void aChangeShowsThreeLinesOfContextUnderARangedHeader() {
    assertThat(UnifiedDiff.lines(text(20), text(20, i -> i == 10 ? "L10" : null)))
        .containsExactly(
            "@@ -7,7 +7,7 @@", " l7", " l8", " l9", "-l10", "+L10", " l11", " l12", " l13");
  }

  @Test
  void removedLinesComeBeforeAddedOnes() {
    assertThat(UnifiedDiff.lines("a\nx\ny\nb\n", "a\np\nq\nb\n"))
        .containsExactly("@@ -1,4 +1,4 @@", " a", "-x", "-y", "+p", "+q", " b");
    assertThat(UnifiedDiff.lines("weight: 90\n", "weight: 50\n"))
        .containsExactly("@@ -1 +1 @@", "-weight: 90", "+weight: 50");
  }

  @Test
  void contextIsClippedAtTheEdges() {
    assertThat(UnifiedDiff.lines(text(4), text(4, i -> i == 1 ? "L1" : null)))
        .containsExactly("@@ -1,4 +1,4 @@", "-l1", "+L1", " l2", " l3", " l4");
  }

  @Test
  void distantChangesMakeSeparateHunks() {
    List<String> diff =
        UnifiedDiff.lines(text(30), text(30, i -> i == 3 || i == 25 ? "L" + i : null));
    assertThat(diff)
        .containsExactly(
            "@@ -1,6 +1,6 @@",
            " l1",
            " l2",
            "-l3",
            "+L3",
            " l4",
            " l5",
            " l6",
            "@@ -22,7 +22,7 @@",
            " l22",
            " l23",
            " l24",
            "-l25",
            "+L25",
            " l26",
            " l27",
            " l28");
  }

  @Test
  void changesAtMostSixLinesApartShareAHunk() {
    List<String> six = UnifiedDiff.lines(text(20), text(20, i -> i == 5 || i == 12 ? "X" : null));
    assertThat(headers(six)).containsExactly("@@ -2,14 +2,14 @@");

    List<String> seven = UnifiedDiff.lines(text(20), text(20, i -> i == 5 || i == 13 ? "X" : null));
    assertThat(headers(seven)).containsExactly("@@ -2,7 +2,7 @@", "@@ -10,7 +10,7 @@");
  }

  private static List<String> headers(List<String> diff) {
    List<String> headers = new ArrayList<>();
    diff.stream().filter(l -> l.startsWith("@@")).forEach(headers::add);
    return headers;
  }

  @Test
  void insertionsAndDeletionsCountTheirOwnSide() {
    assertThat(UnifiedDiff.lines("a\nb\nc\n", "a\nnew\nb\nc\n"))
        .containsExactly("@@ -1,3 +1,4 @@", " a", "+new", " b", " c");
    assertThat(UnifiedDiff.lines("a\nold\nb\nc\n", "a\nb\nc\n"))
        .containsExactly("@@ -1,4 +1,3 @@", " a", "-old", " b", " c");
  }

  @Test
  void anEmptySideIsAllAddedOrAllRemoved() {
    assertThat(UnifiedDiff.lines("", "kind: Route\nname: orders\n"))
        .containsExactly("@@ -0,0 +1,2 @@", "+kind: Route", "+name: orders");
    assertThat(UnifiedDiff.lines("kind: Route\nname: orders\n", ""))
        .containsExactly("@@ -1,2 +0,0 @@", "-kind: Route", "-name: orders");
  }
}
