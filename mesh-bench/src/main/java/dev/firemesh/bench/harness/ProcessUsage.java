package dev.firemesh.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time and resident memory of a process and its descendants (nginx's workers), read from {@code
 * /proc}. Linux only, as the rest of the harness.
 */
final class ProcessUsage {
  // USER_HZ: the unit of utime/stime in /proc/PID/stat; 100 on every Linux this runs on
  private static final double TICKS_PER_SECOND = 100.0;

  private ProcessUsage() {}

  /** User plus system CPU seconds consumed so far by {@code roots} and their descendants. */
  static double cpuSeconds(List<ProcessHandle> roots) {
    return tree(roots).mapToLong(ProcessUsage::cpuTicks).sum() / TICKS_PER_SECOND;
  }

  /** Resident set size in bytes of one process and its descendants. */
  static long residentBytes(ProcessHandle root) {
    return tree(List.of(root)).mapToLong(ProcessUsage::residentBytesOf).sum();
  }

  private static Stream<ProcessHandle> tree(List<ProcessHandle> roots) {
    return roots.stream().flatMap(root -> Stream.concat(Stream.of(root), root.descendants()));
  }

  private static long cpuTicks(ProcessHandle process) {
    String stat = read(Path.of("/proc", Long.toString(process.pid()), "stat"));
    if (stat.isEmpty()) {
      return 0; // exited meanwhile
    }
    // the command name (field 2) may hold spaces: fields are counted after its closing ')'
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
  }

  private static long residentBytesOf(ProcessHandle process) {
    for (String line : read(Path.of("/proc", Long.toString(process.pid()), "status")).split("\n")) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return 0;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }
}
