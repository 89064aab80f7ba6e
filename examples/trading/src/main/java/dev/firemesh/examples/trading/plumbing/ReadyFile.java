package dev.firemesh.examples.trading.plumbing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The file a launcher waits for: written once the service serves, atomically (a reader sees all of
 * it or nothing), as JSON with at least the service's {@code port} and {@code pid}.
 */
public final class ReadyFile {
  private ReadyFile() {}

  public static void write(Path file, ObjectNode content) throws IOException {
    content.put("pid", ProcessHandle.current().pid());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content.toPrettyString());
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
