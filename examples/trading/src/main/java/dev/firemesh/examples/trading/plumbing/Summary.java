package dev.firemesh.examples.trading.plumbing;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * One log line every interval saying what a service did, instead of a line per request; a line only
 * when something happened since the last one.
 */
public final class Summary {
  private Summary() {}

  /**
   * Logs {@code line.get()} every {@code interval} on a virtual thread, skipping repeats.
   *
   * @return the thread, to interrupt at shutdown
   */
  public static Thread every(Duration interval, Logger log, Supplier<String> line) {
    return Thread.ofVirtual()
        .name("summary")
        .start(
            () -> {
              String last = "";
              while (true) {
                try {
                  Thread.sleep(interval);
                } catch (InterruptedException e) {
                  return;
                }
                String now = line.get();
                if (!now.equals(last)) {
                  log.info(now);
                  last = now;
                }
              }
            });
  }
}
