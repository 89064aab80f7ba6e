package dev.firemesh.chassis.schedule;

import dev.firemesh.chassis.store.ChassisStore;
import dev.firemesh.store.Database;
import java.time.Duration;

/**
 * A scheduler in a JVM of its own, for {@link SchedulerFencingProcessTest}: instance {@code
 * args[1]} on the store at {@code args[0]}, running {@link #TASK} with a body that prints {@code
 * STARTED <firing> <token>}, waits {@code args[2]} ms, then makes its fenced write and prints
 * {@code WROTE ...}, or {@code REFUSED ...} when the write is refused. Runs until killed.
 */
public final class FencedTaskProcess {
  static final String TASK = "fenced-every-second";
  static final Duration LEASE = Duration.ofSeconds(3);

  private FencedTaskProcess() {}

  public static void main(String[] args) throws InterruptedException {
    Database database = ChassisStore.external(args[0]);
    scheduler(database, args[1], Duration.ofMillis(Long.parseLong(args[2]))).start();
    Thread.sleep(Duration.ofHours(1)); // until the test kills it
  }

  static Scheduler scheduler(Database database, String instance, Duration pause) {
    TaskBody write = Effects.body(instance);
    return Scheduler.builder(database, instance)
        .lease(LEASE)
        // Firings found late after the takeover still run each: the test follows each firing.
        .misfireGrace(Duration.ofMinutes(1))
        .task(
            Task.fixedRate(TASK, Duration.ofSeconds(1))
                .run(
                    context -> {
                      String firing = context.firing() + " " + context.token();
                      report("STARTED " + firing);
                      Thread.sleep(pause);
                      try {
                        write.run(context);
                      } catch (LeaseLostException e) {
                        report("REFUSED " + firing);
                        throw e;
                      }
                      report("WROTE " + firing);
                    }))
        .build();
  }

  private static void report(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
