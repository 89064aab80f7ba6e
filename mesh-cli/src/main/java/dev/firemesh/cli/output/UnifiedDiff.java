package dev.firemesh.cli.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A line diff of two texts in unified format: hunks headed {@code @@ -l,n +l,n @@}, three lines of
 * context around each change, and within a change the removed lines ({@code -}) before the added
 * ones ({@code +}), as {@code diff -u} and git print them. Computed from the longest common
 * subsequence; resource documents are small, so the quadratic table is fine.
 */
public final class UnifiedDiff {
  private static final int CONTEXT = 3;

  private UnifiedDiff() {}

  /** One line of the edit script, with its 0-based line numbers on each side. */
  private record Edit(char sign, String text, int before, int after) {}

  /** The diff's lines: hunk headers and {@code ' '}, {@code '-'} or {@code '+'} lines. */
  public static List<String> lines(String before, String after) {
    String[] a = split(before);
    String[] b = split(after);
    int[][] lcs = new int[a.length + 1][b.length + 1];
    for (int i = a.length - 1; i >= 0; i--) {
      for (int j = b.length - 1; j >= 0; j--) {
        lcs[i][j] =
            a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    List<Edit> edits = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i].equals(b[j])) {
        edits.add(new Edit(' ', a[i], i++, j++));
      } else if (i < a.length && (j == b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
        // On a tie, take the removal first: a replaced block reads "-old" then "+new".
        edits.add(new Edit('-', a[i], i++, j));
      } else {
        edits.add(new Edit('+', b[j], i, j++));
      }
    }
    return hunks(edits);
  }

  private static List<String> hunks(List<Edit> edits) {
    List<String> out = new ArrayList<>();
    int k = 0;
    while (k < edits.size()) {
      if (edits.get(k).sign() == ' ') {
        k++;
        continue;
      }
      // A hunk: from CONTEXT lines before this change to CONTEXT lines after the last change
      // that is no more than 2 * CONTEXT unchanged lines further on.
      int start = Math.max(0, k - CONTEXT);
      int end = k;
      int unchanged = 0;
      for (int m = k; m < edits.size() && unchanged <= 2 * CONTEXT; m++) {
        if (edits.get(m).sign() == ' ') {
          unchanged++;
        } else {
          end = m;
          unchanged = 0;
        }
      }
      end = Math.min(edits.size() - 1, end + CONTEXT);
      out.add(header(edits.subList(start, end + 1)));
      for (Edit e : edits.subList(start, end + 1)) {
        out.add(e.sign() + e.text());
      }
      k = end + 1;
    }
    return out;
  }

  /** {@code @@ -l,n +l,n @@}: 1-based first line and line count of each side; l is 0 if n is. */
  private static String header(List<Edit> hunk) {
    int beforeCount = 0;
    int afterCount = 0;
    for (Edit e : hunk) {
      beforeCount += e.sign() == '+' ? 0 : 1;
      afterCount += e.sign() == '-' ? 0 : 1;
    }
    Edit first = hunk.getFirst();
    int beforeStart = beforeCount == 0 ? first.before() : first.before() + 1;
    int afterStart = afterCount == 0 ? first.after() : first.after() + 1;
    return "@@ -" + range(beforeStart, beforeCount) + " +" + range(afterStart, afterCount) + " @@";
  }

  private static String range(int start, int count) {
    return count == 1 ? Integer.toString(start) : start + "," + count;
  }

  private static String[] split(String text) {
    String[] lines = text.isEmpty() ? new String[0] : text.split("\n", -1);
    int n = lines.length;
    while (n > 0 && lines[n - 1].isEmpty()) {
      n--; // a final newline does not make an extra, empty line
    }
    return Arrays.copyOf(lines, n);
  }
}
