package dev.firemesh.chassis.events.subscription;

import dev.firemesh.chassis.events.EventRows;
import dev.firemesh.chassis.events.EventTypes;
import dev.firemesh.chassis.events.RecordedEvent;
import dev.firemesh.chassis.events.UnreadableEventException;
import dev.firemesh.chassis.events.subscription.PartitionLeases.Claim;
import dev.firemesh.chassis.events.subscription.Subscription.ProcessHandler;
import dev.firemesh.chassis.events.subscription.Subscription.ProjectionHandler;
import dev.firemesh.store.Database;
import io.micrometer.core.instrument.Counter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one subscription in this instance: a lease thread ({@link PartitionLeases}) and a worker
 * thread that takes batches of the partitions held, one partition after the other, so a stream's
 * events are handled in order and one subscription holds at most one store connection for work.
 */
final class SubscriptionRunner {
  private static final Logger log = LoggerFactory.getLogger(SubscriptionRunner.class);

  private static final Duration POLL = Duration.ofMillis(250);
  private static final Duration STORE_BACKOFF = Duration.ofSeconds(1);
  private static final Duration STOP_WAIT = Duration.ofSeconds(10);
  private static final int ERROR_CHARS = 2000;

  /** The events' outcomes, per subscription. */
  record Counters(Counter handled, Counter failed, Counter parked) {}

  /** What the metrics show, refreshed by every lease tick. */
  record Gauges(AtomicLong position, AtomicLong lag, AtomicLong deadLetters) {}

  /** An event of a batch, or the row of one this service cannot read. */
  private record Delivery(
      UUID eventId,
      long position,
      String streamId,
      String type,
      Optional<RecordedEvent> event,
      Optional<UnreadableEventException> unreadable) {
    RecordedEvent read() {
      return event.orElseThrow(unreadable::orElseThrow);
    }
  }

  /** A failed handler call: parked, or to be retried after a wait. */
  private record Failure(Delivery delivery, int attempts, String error) {}

  /** How a batch ended. */
  private record Batch(long checkpoint, int handled, List<Failure> failures, boolean more) {}

  /** The partition is someone else's now: roll back. */
  private static final class FencedException extends RuntimeException {
    FencedException() {
      super(null, null, false, false);
    }
  }

  private final Database database;
  private final Subscription subscription;
  private final EventTypes types;
  private final Counters counters;
  private final Gauges gauges;
  private final PartitionLeases leases;
  private final String readSql;
  private final Set<String> eventTypes;
  private final Set<String> categories;
  private final Thread leaseThread;
  private final Thread workThread;
  private volatile boolean closed;

  // The worker's own state.
  private final Map<Claim, Long> checkpoints = new HashMap<>();
  private final Map<Integer, Long> retryAt = new HashMap<>();
  private final Map<UUID, Integer> attempts = new HashMap<>();

  SubscriptionRunner(
      Database database,
      Subscription subscription,
      EventTypes types,
      Set<String> eventTypes,
      String instance,
      Counters counters,
      Gauges gauges) {
    this.database = database;
    this.subscription = subscription;
    this.types = types;
    this.eventTypes = eventTypes;
    this.categories = subscription.categories();
    this.counters = counters;
    this.gauges = gauges;
    this.leases = new PartitionLeases(database, subscription, instance);
    this.readSql =
        "select "
            + EventRows.COLUMNS
            + " from es_events where position > ? and position <= ? and "
            + Partitioning.SQL
            + " = ?"
            + (eventTypes.isEmpty() ? "" : " and event_type = any(?)")
            + (categories.isEmpty() ? "" : " and category = any(?)")
            + " order by position limit ?";
    String name = "firemesh-subscription-" + subscription.name();
    this.leaseThread = Thread.ofVirtual().name(name + "-leases").unstarted(this::leaseLoop);
    this.workThread = Thread.ofVirtual().name(name).unstarted(this::workLoop);
  }

  Subscription subscription() {
    return subscription;
  }

  void start() {
    leaseThread.start();
    workThread.start();
  }

  /** New events may be there. */
  void wake() {
    LockSupport.unpark(workThread);
  }

  /** Stops both threads, then gives up the partitions so other instances take over at once. */
  void close() {
    closed = true;
    LockSupport.unpark(leaseThread);
    LockSupport.unpark(workThread);
    join(workThread);
    join(leaseThread);
    leases.releaseAll();
  }

  private static void join(Thread thread) {
    try {
      if (!thread.join(STOP_WAIT)) {
        log.warn("{} did not stop within {} s", thread.getName(), STOP_WAIT.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void leaseLoop() {
    while (!closed) {
      try {
        if (leases.tick()) {
          wake();
        }
        refreshGauges();
      } catch (RuntimeException e) {
        log.warn(
            "subscription {} cannot renew its partitions: {}", subscription.name(), e.toString());
      }
      LockSupport.parkNanos(leases.period().toNanos());
    }
  }

  /** Makes the lease thread tick now: partitions were released, or a rebuild fenced every owner. */
  void tickNow() {
    LockSupport.unpark(leaseThread);
  }

  private void refreshGauges() {
    database.transaction(
        "read the status of subscription " + subscription.name(),
        c -> {
          for (SubscriptionStatus status :
              SubscriptionStore.status(c, Optional.of(subscription.name()))) {
            gauges.position().set(status.position());
            gauges.lag().set(status.lag());
            gauges.deadLetters().set(status.deadLetters());
          }
          return null;
        });
  }

  private void workLoop() {
    while (!closed) {
      long waitNanos = POLL.toNanos();
      try {
        long head = database.transaction("read the event store's head", SubscriptionStore::head);
        Map<Integer, Long> owned = leases.owned();
        checkpoints.keySet().removeIf(claim -> !owned.containsKey(claim.partition()));
        boolean more = false;
        long now = System.nanoTime();
        for (Map.Entry<Integer, Long> held : owned.entrySet()) {
          Claim claim = new Claim(held.getKey(), held.getValue());
          Long due = retryAt.get(claim.partition());
          if (closed) {
            break;
          } else if (due != null && due - now > 0) {
            waitNanos = Math.min(waitNanos, due - now);
          } else if (!leases.isFenced(claim) && checkpoints.getOrDefault(claim, -1L) < head) {
            retryAt.remove(claim.partition());
            more |= runBatch(claim, head);
          }
        }
        if (more) {
          continue;
        }
      } catch (RuntimeException e) {
        log.warn(
            "subscription {} cannot take events: {}; again in {} s",
            subscription.name(),
            e.toString(),
            STORE_BACKOFF.toSeconds());
        waitNanos = STORE_BACKOFF.toNanos();
      }
      LockSupport.parkNanos(waitNanos);
    }
  }

  /** One batch of one partition; whether it may have more events up to {@code head}. */
  private boolean runBatch(Claim claim, long head) {
    Batch batch;
    try {
      batch =
          switch (subscription.handler()) {
            case ProjectionHandler p -> projectionBatch(claim, head, p.projection());
            case ProcessHandler p -> processBatch(claim, head, p.processManager());
          };
    } catch (FencedException e) {
      log.info(
          "subscription {} partition {}: token {} is stale, another owner has it",
          subscription.name(),
          claim.partition(),
          claim.token());
      leases.fenced(claim);
      return false;
    }
    checkpoints.put(claim, batch.checkpoint());
    counters.handled().increment(batch.handled());
    for (Failure failure : batch.failures()) {
      counters.failed().increment();
      if (failure.attempts() >= subscription.maxAttempts()) {
        attempts.remove(failure.delivery().eventId());
        counters.parked().increment();
        log.warn(
            "subscription {} parked event {} of {} at position {} after {} attempts: {}",
            subscription.name(),
            failure.delivery().eventId(),
            failure.delivery().streamId(),
            failure.delivery().position(),
            failure.attempts(),
            failure.error());
      } else {
        Duration wait = subscription.backoff(failure.attempts());
        retryAt.put(claim.partition(), System.nanoTime() + wait.toNanos());
        log.warn(
            "subscription {} failed on event {} of {} (attempt {} of {}), again in {} ms: {}",
            subscription.name(),
            failure.delivery().eventId(),
            failure.delivery().streamId(),
            failure.attempts(),
            subscription.maxAttempts(),
            wait.toMillis(),
            failure.error());
      }
    }
    return batch.more();
  }

  private Batch projectionBatch(Claim claim, long head, Projection projection) {
    return database.transaction(
        "handle events of subscription " + subscription.name(),
        tx -> {
          long from = position(tx, claim);
          List<Delivery> deliveries = read(tx, claim.partition(), from, head);
          boolean full = deliveries.size() == subscription.batchSize();
          long checkpoint = full ? deliveries.getLast().position() : head;
          int handled = 0;
          List<Failure> failures = new ArrayList<>();
          for (Delivery d : deliveries) {
            Savepoint before = tx.setSavepoint();
            try {
              projection.handle(tx, d.read());
              tx.releaseSavepoint(before);
              attempts.remove(d.eventId());
              handled++;
            } catch (SQLException | RuntimeException e) {
              tx.rollback(before);
              Failure failure = failure(d, e);
              failures.add(failure);
              if (failure.attempts() >= subscription.maxAttempts()) {
                park(tx, failure);
              } else {
                checkpoint = d.position() - 1;
                break;
              }
            }
          }
          moveCheckpoint(tx, claim, from, checkpoint);
          return new Batch(checkpoint, handled, failures, full && !retrying(failures));
        });
  }

  private Batch processBatch(Claim claim, long head, ProcessManager processManager) {
    record Read(long from, List<Delivery> deliveries) {}
    Read read =
        database.transaction(
            "read events of subscription " + subscription.name(),
            tx -> {
              long from = position(tx, claim);
              return new Read(from, read(tx, claim.partition(), from, head));
            });
    boolean full = read.deliveries().size() == subscription.batchSize();
    long checkpoint = full ? read.deliveries().getLast().position() : head;
    int handled = 0;
    List<Failure> failures = new ArrayList<>();
    for (Delivery d : read.deliveries()) {
      if (closed) {
        checkpoint = d.position() - 1;
        break;
      }
      try {
        processManager.handle(d.read());
        attempts.remove(d.eventId());
        handled++;
      } catch (Exception e) {
        Failure failure = failure(d, e);
        failures.add(failure);
        if (failure.attempts() < subscription.maxAttempts()) {
          checkpoint = d.position() - 1;
          break;
        }
      }
    }
    long to = checkpoint;
    database.transaction(
        "move the checkpoint of subscription " + subscription.name(),
        tx -> {
          for (Failure failure : failures) {
            if (failure.attempts() >= subscription.maxAttempts()) {
              park(tx, failure);
            }
          }
          moveCheckpoint(tx, claim, read.from(), to);
          return null;
        });
    return new Batch(checkpoint, handled, failures, full && !retrying(failures));
  }

  private boolean retrying(List<Failure> failures) {
    return failures.stream().anyMatch(f -> f.attempts() < subscription.maxAttempts());
  }

  private Failure failure(Delivery d, Exception e) {
    int n = attempts.merge(d.eventId(), 1, Integer::sum);
    String error = e.toString();
    return new Failure(
        d, n, error.length() > ERROR_CHARS ? error.substring(0, ERROR_CHARS) : error);
  }

  /** The partition's checkpoint, if {@code claim} still holds it. */
  private long position(Connection tx, Claim claim) throws SQLException {
    try (PreparedStatement s =
        tx.prepareStatement(
            "select position, token from es_subscription_partitions"
                + " where subscription = ? and partition = ?")) {
      s.setString(1, subscription.name());
      s.setInt(2, claim.partition());
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next() || rs.getLong("token") != claim.token()) {
          throw new FencedException();
        }
        return rs.getLong("position");
      }
    }
  }

  /** Moves the checkpoint under the claim's token; a stale token rolls the whole batch back. */
  private void moveCheckpoint(Connection tx, Claim claim, long from, long to) throws SQLException {
    if (to <= from) {
      return;
    }
    try (PreparedStatement s =
        tx.prepareStatement(
            "update es_subscription_partitions set position = ?, updated_at = clock_timestamp()"
                + " where subscription = ? and partition = ? and token = ?")) {
      s.setLong(1, to);
      s.setString(2, subscription.name());
      s.setInt(3, claim.partition());
      s.setLong(4, claim.token());
      if (s.executeUpdate() != 1) {
        throw new FencedException();
      }
    }
  }

  private List<Delivery> read(Connection tx, int partition, long from, long head)
      throws SQLException {
    List<Delivery> deliveries = new ArrayList<>();
    try (PreparedStatement s = tx.prepareStatement(readSql)) {
      int i = 0;
      s.setLong(++i, from);
      s.setLong(++i, head);
      s.setInt(++i, subscription.partitions());
      s.setInt(++i, partition);
      if (!eventTypes.isEmpty()) {
        s.setArray(++i, tx.createArrayOf("text", eventTypes.toArray()));
      }
      if (!categories.isEmpty()) {
        s.setArray(++i, tx.createArrayOf("text", categories.toArray()));
      }
      s.setInt(++i, subscription.batchSize());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          deliveries.add(delivery(rs));
        }
      }
    }
    return deliveries;
  }

  private Delivery delivery(ResultSet rs) throws SQLException {
    UUID eventId = rs.getObject("event_id", UUID.class);
    long position = rs.getLong("position");
    String streamId = rs.getString("stream_id");
    String type = rs.getString("event_type");
    try {
      return new Delivery(
          eventId,
          position,
          streamId,
          type,
          Optional.of(EventRows.read(rs, types)),
          Optional.empty());
    } catch (UnreadableEventException e) {
      return new Delivery(eventId, position, streamId, type, Optional.empty(), Optional.of(e));
    }
  }

  private void park(Connection tx, Failure failure) throws SQLException {
    Delivery d = failure.delivery();
    try (PreparedStatement s =
        tx.prepareStatement(
            "insert into es_dead_letters (subscription, event_id, position, stream_id,"
                + " event_type, attempts, last_error) values (?, ?, ?, ?, ?, ?, ?)"
                + " on conflict (subscription, event_id) do update set attempts = excluded.attempts,"
                + " last_error = excluded.last_error, parked_at = clock_timestamp()")) {
      s.setString(1, subscription.name());
      s.setObject(2, d.eventId());
      s.setLong(3, d.position());
      s.setString(4, d.streamId());
      s.setString(5, d.type());
      s.setInt(6, failure.attempts());
      s.setString(7, failure.error());
      s.executeUpdate();
    }
  }

  /**
   * Replays from the start: fences every owner out, empties the read model and the dead letters, in
   * one transaction. The read model is reset first: its tables' locks wait for batches in flight,
   * which then find their token stale and roll back.
   */
  void rebuild() {
    if (!(subscription.handler() instanceof ProjectionHandler p)) {
      throw new IllegalArgumentException(
          "subscription "
              + subscription.name()
              + " is a process manager: only a projection is rebuilt (replaying would act on"
              + " every event again)");
    }
    database.transaction(
        "rebuild subscription " + subscription.name(),
        tx -> {
          p.projection().reset(tx);
          try (PreparedStatement s =
              tx.prepareStatement("delete from es_dead_letters where subscription = ?")) {
            s.setString(1, subscription.name());
            s.executeUpdate();
          }
          try (PreparedStatement s =
              tx.prepareStatement(
                  "update es_subscription_partitions set position = 0, token = token + 1,"
                      + " owner = null, lease_until = null, updated_at = clock_timestamp()"
                      + " where subscription = ?")) {
            s.setString(1, subscription.name());
            s.executeUpdate();
          }
          PartitionLeases.notifyReleased(tx, subscription.name());
          return null;
        });
    log.info("subscription {} rebuilt: replaying from position 0", subscription.name());
  }

  /** Runs the handler on a dead letter's event again; removes it if the handler takes it. */
  RetryOutcome retry(UUID eventId) {
    RetryOutcome outcome =
        switch (subscription.handler()) {
          case ProjectionHandler p -> retryProjection(eventId, p.projection());
          case ProcessHandler p -> retryProcess(eventId, p.processManager());
        };
    switch (outcome) {
      case RetryOutcome.Handled h -> counters.handled().increment();
      case RetryOutcome.Failed f -> counters.failed().increment();
      case RetryOutcome.NotFound n -> {}
    }
    return outcome;
  }

  private RetryOutcome retryProjection(UUID eventId, Projection projection) {
    return database.transaction(
        "retry dead letter " + eventId + " of subscription " + subscription.name(),
        tx -> {
          Optional<DeadLetter> letter =
              SubscriptionStore.deadLetter(tx, subscription.name(), eventId);
          if (letter.isEmpty()) {
            return new RetryOutcome.NotFound();
          }
          Delivery d = delivery(tx, letter.get());
          Savepoint before = tx.setSavepoint();
          try {
            projection.handle(tx, d.read());
            tx.releaseSavepoint(before);
            forget(tx, eventId);
            return new RetryOutcome.Handled();
          } catch (SQLException | RuntimeException e) {
            tx.rollback(before);
            return failedAgain(tx, letter.get(), e);
          }
        });
  }

  private RetryOutcome retryProcess(UUID eventId, ProcessManager processManager) {
    record Parked(DeadLetter letter, Delivery delivery) {}
    Optional<Parked> parked =
        database.transaction(
            "read dead letter " + eventId + " of subscription " + subscription.name(),
            tx -> {
              Optional<DeadLetter> letter =
                  SubscriptionStore.deadLetter(tx, subscription.name(), eventId);
              return letter.isEmpty()
                  ? Optional.empty()
                  : Optional.of(new Parked(letter.get(), delivery(tx, letter.get())));
            });
    if (parked.isEmpty()) {
      return new RetryOutcome.NotFound();
    }
    Optional<Exception> failure;
    try {
      processManager.handle(parked.get().delivery().read());
      failure = Optional.empty();
    } catch (Exception e) {
      failure = Optional.of(e);
    }
    Optional<Exception> failed = failure;
    return database.transaction(
        "settle dead letter " + eventId + " of subscription " + subscription.name(),
        tx -> {
          if (failed.isEmpty()) {
            forget(tx, eventId);
            return new RetryOutcome.Handled();
          }
          return failedAgain(tx, parked.get().letter(), failed.get());
        });
  }

  /** The stored event a dead letter names. */
  private Delivery delivery(Connection tx, DeadLetter letter) throws SQLException {
    try (PreparedStatement s =
        tx.prepareStatement("select " + EventRows.COLUMNS + " from es_events where event_id = ?")) {
      s.setObject(1, letter.eventId());
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException(
              "dead letter "
                  + letter.eventId()
                  + " of "
                  + letter.subscription()
                  + " names no stored event");
        }
        return delivery(rs);
      }
    }
  }

  private void forget(Connection tx, UUID eventId) throws SQLException {
    try (PreparedStatement s =
        tx.prepareStatement(
            "delete from es_dead_letters where subscription = ? and event_id = ?")) {
      s.setString(1, subscription.name());
      s.setObject(2, eventId);
      s.executeUpdate();
    }
  }

  private RetryOutcome failedAgain(Connection tx, DeadLetter letter, Exception e)
      throws SQLException {
    String error = e.toString();
    error = error.length() > ERROR_CHARS ? error.substring(0, ERROR_CHARS) : error;
    try (PreparedStatement s =
        tx.prepareStatement(
            "update es_dead_letters set attempts = attempts + 1, last_error = ?"
                + " where subscription = ? and event_id = ?")) {
      s.setString(1, error);
      s.setString(2, subscription.name());
      s.setObject(3, letter.eventId());
      s.executeUpdate();
    }
    return new RetryOutcome.Failed(letter.attempts() + 1, error);
  }
}
