package dev.firemesh.cli.output;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff of two texts in unified format (with three lines of context), computed from the
 * longest common subsequence. Resource documents are small, so the quadratic table is fine.
 */
public final class UnifiedDiff {
  private static final int CONTEXT = 3;

  private UnifiedDiff() {}

  public static List<String> lines(String before, String after) {
    String[] a = before.isEmpty() ? new String[0] : before.split("\n", -1);
    String[] b = after.isEmpty() ? new String[0] : after.split("\n", -1);
    a = dropTrailingEmpty(a);
    b = dropTrailingEmpty(b);
    int[][] lcs = new int[a.length + 1][b.length + 1];
    for (int i = a.length - 1; i >= 0; i--) {
      for (int j = b.length - 1; j >= 0; j--) {
        lcs[i][j] =
            a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    List<String> edits = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i].equals(b[j])) {
        edits.add(" " + a[i++]);
        j++;
      } else if (j < b.length && (i == a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
        edits.add("+" + b[j++]);
      } else {
        edits.add("-" + a[i++]);
      }
    }
    return withContext(edits);
  }

  private static List<String> withContext(List<String> edits) {
    boolean[] keep = new boolean[edits.size()];
    for (int k = 0; k < edits.size(); k++) {
      if (edits.get(k).charAt(0) != ' ') {
        for (int c = Math.max(0, k - CONTEXT); c <= Math.min(edits.size() - 1, k + CONTEXT); c++) {
          keep[c] = true;
        }
      }
    }
    List<String> out = new ArrayList<>();
    boolean skipping = false;
    for (int k = 0; k < edits.size(); k++) {
      if (keep[k]) {
        out.add(edits.get(k));
        skipping = false;
      } else if (!skipping) {
        out.add("@@");
        skipping = true;
      }
    }
    return out;
  }

  private static String[] dropTrailingEmpty(String[] lines) {
    int n = lines.length;
    while (n > 0 && lines[n - 1].isEmpty()) {
      n--;
    }
    return java.util.Arrays.copyOf(lines, n);
  }
}
