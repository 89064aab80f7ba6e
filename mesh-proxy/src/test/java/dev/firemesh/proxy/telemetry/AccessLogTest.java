package dev.firemesh.proxy.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessLogTest {
  @TempDir Path dir;

  @Test
  void aLineIsInTheFileSoonAfterItsRequestEvenWhenTrafficIsLight() throws Exception {
    Path file = dir.resolve("access.log");
    try (AccessLog log = AccessLog.start(AccessLogSettings.file(file))) {
      log.exchangeEnded(Records.outbound());

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Files.exists(file) && Files.readAllLines(file).size() == 1);
      assertThat(
              new ObjectMapper().readTree(Files.readAllLines(file).getFirst()).get("path").asText())
          .isEqualTo("/who");
      assertThat(log.written()).isEqualTo(1);
      assertThat(log.dropped()).isZero();
    }
  }

  @Test
  void closingWritesWhatIsQueuedAndLaterRecordsAreDropped() throws Exception {
    Path file = dir.resolve("access.log");
    AccessLog log =
        AccessLog.start(AccessLogSettings.file(file).withFormat(AccessLogFormat.Style.TEXT));
    for (int i = 0; i < 100; i++) {
      log.exchangeEnded(Records.outbound());
    }
    log.close();
    log.exchangeEnded(Records.outbound());

    assertThat(Files.readAllLines(file))
        .hasSize(100)
        .allMatch(l -> l.contains("\"GET /who HTTP/1.1\" 200"));
    assertThat(log.dropped()).isEqualTo(1);
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfWaiting() throws Exception {
    StuckSink sink = new StuckSink();
    AccessLog log =
        AccessLog.start(new AccessLogFormat(AccessLogFormat.Style.JSON, List.of("path")), 2, sink);
    try {
      log.exchangeEnded(Records.outbound());
      assertThat(sink.writing.await(10, TimeUnit.SECONDS)).isTrue(); // the writer holds line 1

      for (int i = 0; i < 5; i++) {
        log.exchangeEnded(Records.outbound()); // returns at once: 2 wait in the queue, 3 dropped
      }

      assertThat(log.dropped()).isEqualTo(3);
      sink.release.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> sink.lines.size() == 3);
      assertThat(log.written()).isEqualTo(3);
    } finally {
      sink.release.countDown();
      log.close();
    }
  }

  @Test
  void aWriterThatCannotWriteDropsAndCounts() {
    LogSink broken =
        new LogSink() {
          @Override
          public void write(byte[] line) throws IOException {
            throw new IOException("No space left on device");
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    try (AccessLog log =
        AccessLog.start(new AccessLogFormat(AccessLogFormat.Style.TEXT, List.of()), 16, broken)) {
      for (int i = 0; i < 4; i++) {
        log.exchangeEnded(Records.outbound());
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> log.dropped() == 4);
      assertThat(log.written()).isZero();
    }
  }

  /** A sink whose first write blocks until released: a disk that has stopped answering. */
  private static final class StuckSink implements LogSink {
    final CountDownLatch writing = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void write(byte[] line) throws IOException {
      writing.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      lines.add(new String(line, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
