package dev.firemesh.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the end-to-end tests share: launching {@code firemesh} in a child JVM and stopping it. */
final class ChildProcesses {
  private ChildProcesses() {}

  /** The command line of a {@code firemesh} child JVM on this test's class path. */
  static List<String> firemesh(String maxHeap, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + maxHeap);
    command.add("--enable-native-access=ALL-UNNAMED");
    command.addAll(AotCaches.options(args[0]));
    command.add("dev.firemesh.cli.FireMesh");
    command.addAll(List.of(args));
    return command;
  }

  /** SIGTERM, then SIGKILL if it has not ended within {@code seconds}; never throws. */
  static void stop(Process process, long seconds) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** The admin API's apply body for one YAML file. */
  static ObjectNode applyBody(String fileName, String yaml) {
    ObjectNode body = new ObjectMapper().createObjectNode();
    body.putArray("files").addObject().put("name", fileName).put("content", yaml);
    return body;
  }
}
