package dev.firemesh.chassis.refdata.replica;

import static dev.firemesh.chassis.refdata.TestSets.BOOKS;
import static dev.firemesh.chassis.refdata.TestSets.DESKS;

import dev.firemesh.chassis.refdata.ReferenceView;
import java.net.URI;
import java.time.Duration;

/**
 * A replica in a JVM of its own, for {@link ReplicaProcessesTest}: follows the owner at {@code
 * args[0]} and prints {@code REPLICA at <version> <digest>} after each version, until killed.
 */
public final class ReplicaProcess {
  private ReplicaProcess() {}

  public static void main(String[] args) throws InterruptedException {
    ReferenceDataReplica replica =
        ReferenceDataReplica.builder(URI.create(args[0]))
            .sets(DESKS, BOOKS)
            .pollWait(Duration.ofSeconds(1))
            .maxBackoff(Duration.ofMillis(200))
            .build();
    replica.onChange(update -> report(replica.view()));
    replica.start();
    report(replica.view());
    Thread.sleep(Duration.ofHours(1)); // until the test kills it
  }

  static String digest(ReferenceView view) {
    return view.version()
        + " "
        + Integer.toHexString(view.of(DESKS).all().hashCode())
        + Integer.toHexString(view.of(BOOKS).all().hashCode());
  }

  private static void report(ReferenceView view) {
    System.out.println("REPLICA at " + digest(view));
    System.out.flush();
  }
}
