package dev.firemesh.chassis.events.subscription;

import dev.firemesh.chassis.store.ChassisStore;
import dev.firemesh.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;

/**
 * A subscriber in a JVM of its own, for {@link SubscriberKillTest}: a projection counting how often
 * each event is applied, slowed so a kill lands in the middle of a batch. The store's URL comes in
 * {@code SUBSCRIBER_STORE_URL}, the instance id as the argument. Runs until killed.
 */
public final class SubscriberProcess {
  static final String NAME = "kt-counts";

  private SubscriberProcess() {}

  public static void main(String[] args) throws InterruptedException {
    Database database = ChassisStore.external(System.getenv("SUBSCRIBER_STORE_URL"));
    Subscriptions.start(
        database,
        TestEvents.TYPES,
        args[0],
        new SimpleMeterRegistry(),
        List.of(
            Subscription.projection(
                    NAME,
                    (tx, e) -> {
                      try (PreparedStatement s =
                          tx.prepareStatement(
                              "insert into kt_counts (event_id, n) values (?, 1)"
                                  + " on conflict (event_id) do update set n = kt_counts.n + 1")) {
                        s.setObject(1, e.metadata().eventId());
                        s.executeUpdate();
                      }
                      try {
                        Thread.sleep(2);
                      } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                      }
                    })
                .batchSize(50)
                .lease(Duration.ofSeconds(2))
                .build()));
    System.out.println("SUBSCRIBER STARTED " + args[0]);
    Thread.sleep(Duration.ofMinutes(5)); // bounded: a leaked child ends by itself
    System.exit(0);
  }
}
