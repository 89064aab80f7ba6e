package dev.firemesh.proxy.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingFileTest {
  @TempDir Path dir;

  private static byte[] line(int n) {
    return String.format("line %04d %s%n", n, "x".repeat(20)).getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void rotatesBeforeAFileGrowsPastItsSizeKeepingTheNewestFiles() throws Exception {
    Path log = dir.resolve("logs/access.log"); // the directory is made
    int lineBytes = line(0).length;
    try (RotatingFile file = new RotatingFile(log, 3L * lineBytes, 2)) {
      for (int n = 0; n < 10; n++) {
        file.write(line(n));
      }
    }

    // 10 lines, 3 per file: 0-2, 3-5, 6-8 rotated out, 9 current; only the 2 newest are kept.
    assertThat(lines(log)).containsExactly(text(9));
    assertThat(lines(dir.resolve("logs/access.log.1"))).containsExactly(text(6), text(7), text(8));
    assertThat(lines(dir.resolve("logs/access.log.2"))).containsExactly(text(3), text(4), text(5));
    assertThat(dir.resolve("logs/access.log.3")).doesNotExist();
    try (var files = Files.list(dir.resolve("logs"))) {
      assertThat(files)
          .allSatisfy(f -> assertThat(Files.size(f)).isLessThanOrEqualTo(3L * lineBytes));
    }
  }

  @Test
  void appendsToAnExistingFileAndCountsItsSize() throws Exception {
    Path log = dir.resolve("access.log");
    int lineBytes = line(0).length;
    Files.write(log, line(0));
    try (RotatingFile file = new RotatingFile(log, 2L * lineBytes, 1)) {
      file.write(line(1));
      file.write(line(2)); // would make three: rotates first
    }

    assertThat(lines(dir.resolve("access.log.1"))).containsExactly(text(0), text(1));
    assertThat(lines(log)).containsExactly(text(2));
  }

  @Test
  void aLineLongerThanTheLimitGetsAFileOfItsOwnAndIsNeverSplit() throws Exception {
    Path log = dir.resolve("access.log");
    try (RotatingFile file = new RotatingFile(log, 10, 1)) {
      file.write(line(1));
      file.write(line(2));
    }

    assertThat(lines(dir.resolve("access.log.1"))).containsExactly(text(1));
    assertThat(lines(log)).containsExactly(text(2));
  }

  @Test
  void keepingNoneDeletesTheOldFileAndZeroSizeNeverRotates() throws Exception {
    Path log = dir.resolve("access.log");
    int lineBytes = line(0).length;
    try (RotatingFile file = new RotatingFile(log, lineBytes, 0)) {
      file.write(line(1));
      file.write(line(2));
    }
    assertThat(lines(log)).containsExactly(text(2));
    assertThat(dir.resolve("access.log.1")).doesNotExist();

    Path unlimited = dir.resolve("all.log");
    try (RotatingFile file = new RotatingFile(unlimited, 0, 3)) {
      for (int n = 0; n < 100; n++) {
        file.write(line(n));
      }
    }
    assertThat(lines(unlimited)).hasSize(100);
    assertThat(dir.resolve("all.log.1")).doesNotExist();
  }

  private static String text(int n) {
    return new String(line(n), StandardCharsets.US_ASCII).strip();
  }

  private static List<String> lines(Path file) throws Exception {
    return new ArrayList<>(Files.readAllLines(file));
  }
}
