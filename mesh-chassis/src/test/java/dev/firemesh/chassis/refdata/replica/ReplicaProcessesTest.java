package dev.firemesh.chassis.refdata.replica;

import static dev.firemesh.chassis.refdata.TestSets.BOOKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firemesh.chassis.http.RoutesServer;
import dev.firemesh.chassis.refdata.TestSets;
import dev.firemesh.chassis.refdata.TestSets.Book;
import dev.firemesh.chassis.refdata.owner.Command;
import dev.firemesh.chassis.refdata.owner.Edit;
import dev.firemesh.chassis.refdata.owner.ReferenceDataOwner;
import dev.firemesh.chassis.store.ChassisStore;
import dev.firemesh.store.Database;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replicas in JVMs of their own converge on the owner's version after a burst of changes. */
class ReplicaProcessesTest {
  @TempDir Path dataDir;

  @Test
  void replicasInSeparateProcessesConvergeAfterABurst() throws Exception {
    List<Process> children = new ArrayList<>();
    try (Database database = ChassisStore.embedded(dataDir);
        ReferenceDataOwner owner =
            ReferenceDataOwner.builder(database).own(TestSets.DESKS, BOOKS).build();
        RoutesServer server = RoutesServer.start(owner.routes())) {
      List<AtomicReference<String>> reports = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Process child =
            new ProcessBuilder(
                    ProcessHandle.current().info().command().orElse("java"),
                    "-cp",
                    System.getProperty("java.class.path"),
                    ReplicaProcess.class.getName(),
                    server.uri().toString())
                .redirectErrorStream(true)
                .start();
        children.add(child);
        AtomicReference<String> last = new AtomicReference<>("");
        reports.add(last);
        Thread.ofVirtual().start(() -> readReports(child, last));
      }
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> reports.stream().allMatch(r -> r.get().startsWith("0 ")));

      for (int i = 0; i < 500; i++) {
        owner.apply(
            Command.of(
                "burst-" + i,
                i % 5 == 4
                    ? Edit.delete(BOOKS, "B" + (i - 2))
                    : Edit.upsert(BOOKS, new Book("B" + i, "D" + i % 3, "EUR", i))));
      }

      String expected = ReplicaProcess.digest(owner.view());
      assertThat(expected).startsWith("500 ");
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> reports.stream().allMatch(r -> r.get().equals(expected)));
      for (Process child : children) {
        assertThat(child.isAlive()).isTrue();
      }
    } finally {
      for (Process child : children) {
        child.destroy();
        if (!child.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          child.destroyForcibly().waitFor();
        }
      }
    }
  }

  private static void readReports(Process child, AtomicReference<String> last) {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith("REPLICA at ")) {
          last.set(line.substring("REPLICA at ".length()));
        }
      }
    } catch (IOException e) {
      last.set("unreadable: " + e);
    }
  }
}
