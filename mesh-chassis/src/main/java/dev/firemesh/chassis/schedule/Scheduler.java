package dev.firemesh.chassis.schedule;

import dev.firemesh.store.Database;
import dev.firemesh.store.StoreException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a service's tasks once per firing across all its instances, on the service's store.
 *
 * <p>Each task is a lease in {@code sched_tasks}. An instance claims free or expired leases (up to
 * its fair share of the tasks among the live instances), each claim taking the next fencing token,
 * and renews its leases every third of the lease time (6 s by default), so a dead owner is replaced
 * within a lease and a renewal period. The owner runs the firings that come due (by this
 * scheduler's clock) one at a time per task, on a virtual thread each; a run keeps its lease
 * renewed. The body's exactly-once writes go through {@link TaskContext#fenced}; the firing's
 * outcome and the next firing are recorded under the token. {@link #close} waits for runs in
 * progress, then releases the leases.
 *
 * <p>Metrics: {@code firemesh_chassis_task_runs_total{task,outcome}} (outcome {@code succeeded},
 * {@code failed}, {@code skipped} for missed firings not run, {@code lease_lost} for a run whose
 * writes were refused), {@code firemesh_chassis_task_last_success_seconds{task}} (epoch seconds of
 * the end of the last successful run seen by this instance) and {@code
 * firemesh_chassis_task_owned{task}} (1 while this instance holds the lease).
 */
public final class Scheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  private final TaskTable table;
  private final InstantSource clock;
  private final Duration lease;
  private final Duration renewal;
  private final Duration misfireGrace;
  private final Duration tick;
  private final MeterRegistry registry;
  private final Map<String, Slot> slots = new LinkedHashMap<>();
  private final Database database;

  private volatile boolean closing;
  private volatile boolean stopped;
  private Thread conductor;

  private Scheduler(Builder b) {
    this.database = b.database;
    this.table = new TaskTable(b.database, b.instance, b.lease);
    this.clock = b.clock;
    this.lease = b.lease;
    this.renewal = b.lease.dividedBy(3);
    this.misfireGrace = b.misfireGrace;
    this.tick = b.tick;
    this.registry = b.registry;
    for (Task task : b.tasks) {
      slots.put(task.name(), new Slot(task));
    }
  }

  /** A scheduler for the instance {@code instance} of a service, on its store. */
  public static Builder builder(Database database, String instance) {
    return new Builder(database, instance);
  }

  /**
   * Declares the tasks in the store (a task whose schedule changed starts again from its new first
   * firing) and starts claiming and running them.
   *
   * @throws StoreException when the store cannot be written
   */
  public Scheduler start() {
    table.declare(
        slots.values().stream().map(s -> s.task).toList(),
        clock.instant().truncatedTo(ChronoUnit.MILLIS));
    for (Slot slot : slots.values()) {
      slot.bindMetrics();
    }
    conductor = Thread.ofVirtual().name("scheduler-" + table.instance()).start(this::conduct);
    log.info(
        "scheduler started: instance={} tasks={} lease={}",
        table.instance(),
        slots.keySet(),
        lease);
    return this;
  }

  /**
   * Every task in this scheduler's store, whoever declared it: what {@code firemesh tasks} lists.
   */
  public List<TaskStatus> status() {
    return TaskTable.status(database);
  }

  /** Every task in {@code database}: what {@code firemesh tasks} lists. */
  public static List<TaskStatus> status(Database database) {
    return TaskTable.status(database);
  }

  /** The tasks whose lease this instance holds now, by name. */
  public Set<String> owned() {
    Set<String> owned = new HashSet<>();
    for (Slot slot : slots.values()) {
      if (slot.token.get() != 0) {
        owned.add(slot.task.name());
      }
    }
    return Set.copyOf(owned);
  }

  private void conduct() {
    long nextLeaseWork = System.nanoTime();
    while (!stopped) {
      if (System.nanoTime() - nextLeaseWork >= 0) {
        leaseWork();
        nextLeaseWork = System.nanoTime() + renewal.toNanos();
      }
      if (!closing) {
        Instant now = clock.instant();
        for (Slot slot : slots.values()) {
          slot.startIfDue(now);
        }
      }
      try {
        Thread.sleep(tick);
      } catch (InterruptedException e) {
        return; // stopped
      }
    }
  }

  private void leaseWork() {
    try {
      int members = table.heartbeat();
      for (Slot slot : slots.values()) {
        slot.renew();
      }
      if (closing) {
        return;
      }
      int fairShare = (slots.size() + members - 1) / members;
      List<Slot> owned = slots.values().stream().filter(s -> s.token.get() != 0).toList();
      if (owned.size() < fairShare) {
        List<String> unowned =
            slots.values().stream()
                .filter(s -> s.token.get() == 0)
                .map(s -> s.task.name())
                .toList();
        int claimed = owned.size();
        for (String name : table.claimable(unowned)) {
          if (claimed >= fairShare) {
            break;
          }
          if (slots.get(name).claim()) {
            claimed++;
          }
        }
      } else if (owned.size() > fairShare) {
        // One at a time, so the others take them over before more are let go.
        owned.stream().filter(s -> !s.running).findFirst().ifPresent(Slot::release);
      }
    } catch (StoreException e) {
      log.warn("scheduler {}: lease upkeep failed: {}", table.instance(), e.getMessage());
    }
  }

  /**
   * Stops: no new runs; waits (up to 10 s) for runs in progress, keeping their leases renewed; then
   * releases every lease so other instances take over at once.
   */
  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    for (Slot slot : slots.values()) {
      Thread run = slot.thread;
      if (run != null) {
        try {
          long left = deadline - System.nanoTime();
          if (left > 0 && !run.join(Duration.ofNanos(left))) {
            log.warn("task {} still running at close; its lease is released", slot.task.name());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    stopThreads();
    for (Slot slot : slots.values()) {
      slot.release();
    }
    try {
      table.leave();
    } catch (StoreException e) {
      log.warn("scheduler {}: cannot leave: {}", table.instance(), e.getMessage());
    }
    log.info("scheduler stopped: instance={}", table.instance());
  }

  /**
   * Stops every thread without releasing anything, as a process that dies would: its leases run out
   * by themselves. For tests of takeover.
   */
  void halt() {
    closing = true;
    stopThreads();
  }

  private void stopThreads() {
    stopped = true;
    if (conductor != null) {
      conductor.interrupt();
      try {
        conductor.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Slot slot : slots.values()) {
      Thread run = slot.thread;
      if (run != null) {
        run.interrupt();
      }
    }
  }

  /**
   * One task's state in this instance: owned by the conductor thread, except what a run reports
   * back through the volatile fields.
   */
  private final class Slot {
    final Task task;
    final AtomicLong token = new AtomicLong(); // 0: not ours
    volatile Optional<Instant> nextFiring = Optional.empty();
    volatile boolean running;
    volatile Thread thread;
    volatile double lastSuccess; // epoch seconds; 0 before any
    volatile long retryAt = System.nanoTime(); // after a store failure, not before a renewal

    Slot(Task task) {
      this.task = task;
    }

    void bindMetrics() {
      Gauge.builder("firemesh.chassis.task.owned", this, s -> s.token.get() != 0 ? 1 : 0)
          .description("1 while this instance holds the task's lease.")
          .tag("task", task.name())
          .register(registry);
      Gauge.builder("firemesh.chassis.task.last.success", this, s -> s.lastSuccess)
          .description("When the task's last successful run seen by this instance ended (epoch).")
          .baseUnit("seconds")
          .tag("task", task.name())
          .register(registry);
      for (String outcome : List.of("succeeded", "failed", "skipped", "lease_lost")) {
        runs(outcome);
      }
    }

    Counter runs(String outcome) {
      return Counter.builder("firemesh.chassis.task.runs")
          .description("Firings of the task handled by this instance, by outcome.")
          .tag("task", task.name())
          .tag("outcome", outcome)
          .register(registry);
    }

    boolean claim() {
      Optional<TaskTable.Lease> claimed = table.claim(task.name());
      claimed.ifPresent(
          l -> {
            nextFiring = l.nextFiring();
            l.lastSuccess().ifPresent(t -> lastSuccess = t.toEpochMilli() / 1000.0);
            token.set(l.token());
            log.info(
                "task {}: claimed by {} with token {}, next firing {}",
                task.name(),
                table.instance(),
                l.token(),
                l.nextFiring().map(Instant::toString).orElse("none"));
          });
      return claimed.isPresent();
    }

    void renew() {
      long held = token.get();
      if (held == 0) {
        return;
      }
      Optional<TaskTable.Lease> renewed = table.renew(task.name(), held);
      if (renewed.isEmpty()) {
        lost(held);
      } else if (!running) {
        nextFiring = renewed.get().nextFiring();
      }
    }

    void release() {
      long held = token.getAndSet(0);
      if (held == 0) {
        return;
      }
      try {
        table.release(task.name(), held);
        log.info("task {}: released by {}", task.name(), table.instance());
      } catch (StoreException e) {
        log.warn("task {}: cannot release: {}", task.name(), e.getMessage());
      }
    }

    void lost(long held) {
      if (token.compareAndSet(held, 0)) {
        log.warn(
            "task {}: lease lost by {} (token {}): another instance took it over",
            task.name(),
            table.instance(),
            held);
      }
    }

    void startIfDue(Instant now) {
      long held = token.get();
      if (held == 0
          || running
          || nextFiring.isEmpty()
          || nextFiring.get().isAfter(now)
          || System.nanoTime() - retryAt < 0) {
        return;
      }
      running = true;
      thread =
          Thread.ofVirtual()
              .name("task-" + task.name())
              .start(
                  () -> {
                    try {
                      runDue(held);
                    } catch (StoreException e) {
                      log.warn("task {}: store unavailable: {}", task.name(), e.getMessage());
                      retryAt = System.nanoTime() + renewal.toNanos();
                    } finally {
                      running = false;
                    }
                  });
    }

    /** Runs the firings due now under {@code held}, as the misfire policy says. */
    private void runDue(long held) {
      TaskTable.Due stored = table.read(task.name());
      if (stored.token() != held) {
        lost(held);
        return;
      }
      if (stored.nextFiring().isEmpty()) {
        nextFiring = Optional.empty();
        return;
      }
      if (stored.retryOf().isPresent()) {
        // A retry is never a misfire: it runs when due, or on recovery if every instance was down.
        runFiring(held, stored.retryOf().get(), stored.attempt());
        return;
      }
      Instant now = clock.instant();
      FiringPlan plan =
          FiringPlan.of(
              task.schedule(), task.misfire(), stored.nextFiring().get(), now, misfireGrace);
      if (plan.skipped() > 0) {
        if (task.misfire() == MisfirePolicy.RUN_ONCE) {
          log.info(
              "task {}: {} firings missed, one run for them all (RUN_ONCE)",
              task.name(),
              plan.skipped() + 1);
        } else {
          log.info("task {}: {} missed firings skipped (SKIP)", task.name(), plan.skipped());
        }
        runs("skipped").increment(plan.skipped());
      }
      if (plan.run().isEmpty()) {
        if (!table.advance(task.name(), held, plan.nextWhenNoneRun())) {
          lost(held);
          return;
        }
        nextFiring = plan.nextWhenNoneRun();
        return;
      }
      for (Instant firing : plan.run()) {
        if (stopped || token.get() != held || !runFiring(held, firing, 1)) {
          return;
        }
      }
    }

    /**
     * Runs one attempt at a firing; false when the lease was lost (or the scheduler halted)
     * meanwhile, or when the firing failed and its retry is now the next thing due.
     */
    private boolean runFiring(long held, Instant firing, int attempt) {
      if (table.done(task.name(), firing)) {
        // A previous owner ran it and died before moving the task on.
        Optional<Instant> next = task.schedule().following(firing, clock.instant());
        if (!table.advance(task.name(), held, next)) {
          lost(held);
          return false;
        }
        nextFiring = next;
        return true;
      }
      Instant started = clock.instant();
      TaskContext context =
          new TaskContext(table, clock, task.name(), firing, attempt, held, started);
      Optional<String> error = Optional.empty();
      try {
        task.body().run(context);
      } catch (LeaseLostException e) {
        log.warn("task {}: firing {} refused: {}", task.name(), firing, e.getMessage());
        runs("lease_lost").increment();
        lost(held);
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        if (stopped) {
          return false;
        }
        error = Optional.of(e.toString());
      } catch (Exception e) {
        log.warn("task {}: firing {} failed (attempt {})", task.name(), firing, attempt, e);
        error = Optional.of(e.toString());
      }
      if (stopped && Thread.currentThread().isInterrupted()) {
        return false; // halted: leave the firing to whoever takes over
      }
      Instant finished = clock.instant();
      Optional<Instant> next = task.schedule().following(firing, finished);
      boolean succeeded = error.isEmpty();
      Optional<Instant> retry =
          succeeded || context.written() ? Optional.empty() : retry(attempt, finished, next);
      retry.ifPresent(
          at ->
              log.info(
                  "task {}: firing {} to be tried again at {} (attempt {} of {})",
                  task.name(),
                  firing,
                  at,
                  attempt + 1,
                  task.maxAttempts()));
      boolean recorded =
          table.complete(
              task.name(),
              held,
              new TaskTable.Outcome(
                  firing,
                  attempt,
                  started,
                  finished,
                  succeeded,
                  error,
                  retry.isPresent() ? retry : next,
                  retry.isPresent()));
      if (!recorded) {
        runs("lease_lost").increment();
        lost(held);
        return false;
      }
      runs(succeeded ? "succeeded" : "failed").increment();
      if (succeeded) {
        lastSuccess = finished.toEpochMilli() / 1000.0;
      }
      nextFiring = retry.isPresent() ? retry : next;
      return retry.isEmpty();
    }

    /**
     * When to try a failed firing again: after the task's backoff, if attempts are left and the
     * retry would come before the next firing (a retry never holds a firing back).
     */
    private Optional<Instant> retry(int attempt, Instant finished, Optional<Instant> next) {
      if (attempt >= task.maxAttempts()) {
        return Optional.empty();
      }
      Instant at = finished.plus(task.retryBackoff());
      return next.isEmpty() || at.isBefore(next.get()) ? Optional.of(at) : Optional.empty();
    }
  }

  /** A scheduler being configured; {@link #build} ends it. */
  public static final class Builder {
    private final Database database;
    private final String instance;
    private final List<Task> tasks = new ArrayList<>();
    private MeterRegistry registry = new SimpleMeterRegistry();
    private InstantSource clock = InstantSource.system();
    private Duration lease = Duration.ofSeconds(6);
    private Duration misfireGrace;
    private Duration tick = Duration.ofMillis(50);

    private Builder(Database database, String instance) {
      if (instance.isBlank()) {
        throw new IllegalArgumentException("a scheduler needs its instance's id");
      }
      this.database = Objects.requireNonNull(database);
      this.instance = instance;
    }

    public Builder task(Task task) {
      tasks.add(Objects.requireNonNull(task));
      return this;
    }

    public Builder tasks(Collection<Task> tasks) {
      tasks.forEach(this::task);
      return this;
    }

    /** Where the metrics go; a private registry by default. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry);
      return this;
    }

    /**
     * The clock firings are timed by (the system's by default; a test's to move time at will).
     * Leases are timed by the database's clock, shared by every instance.
     */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** How long a lease lasts unrenewed (6 s by default); renewed every third of it. */
    public Builder lease(Duration lease) {
      if (lease.compareTo(Duration.ofMillis(300)) < 0) {
        throw new IllegalArgumentException("a lease must last at least 300 ms, not " + lease);
      }
      this.lease = lease;
      return this;
    }

    /**
     * How late a firing may be found due and still run as usual (by default one lease: a takeover
     * is not a misfire); a later one is missed and follows its task's {@link MisfirePolicy}.
     */
    public Builder misfireGrace(Duration grace) {
      if (grace.isNegative()) {
        throw new IllegalArgumentException("a misfire grace cannot be negative: " + grace);
      }
      this.misfireGrace = grace;
      return this;
    }

    /** How often the scheduler looks for firings come due (50 ms by default). */
    public Builder tick(Duration tick) {
      if (!tick.isPositive()) {
        throw new IllegalArgumentException("a tick must be positive: " + tick);
      }
      this.tick = tick;
      return this;
    }

    /**
     * The scheduler, not started.
     *
     * @throws IllegalArgumentException when two tasks share a name
     */
    public Scheduler build() {
      Set<String> names = new HashSet<>();
      for (Task task : tasks) {
        if (!names.add(task.name())) {
          throw new IllegalArgumentException("two tasks are named " + task.name());
        }
      }
      if (misfireGrace == null) {
        misfireGrace = lease;
      }
      return new Scheduler(this);
    }
  }
}
