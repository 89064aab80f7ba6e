package dev.firemesh.chassis.events.subscription;

import dev.firemesh.chassis.store.StoreLoop;
import dev.firemesh.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operator requests that need a service's own handlers, made through its store ({@code
 * chassis_requests}): rebuilding a projection and retrying a dead letter. A tool that has only the
 * store's URL, such as {@code firemesh events rebuild}, {@linkplain #requestRebuild submits} one
 * and {@linkplain #await waits} for it; every instance running {@link Subscriptions} runs an {@code
 * OperatorRequests} that carries out the requests for the subscriptions it runs and records the
 * outcome.
 *
 * <p>An instance works on a request in a transaction holding its row ({@code FOR UPDATE SKIP
 * LOCKED}), so one instance at a time does; one that dies mid-way leaves it pending for another (a
 * rebuild or retry done twice is harmless: the second rebuild replays again, the second retry finds
 * no dead letter). Woken by the {@code chassis_requests} notification of every submission, and
 * polls every second in case one is lost. A request for a subscription no running instance runs
 * stays pending until it is {@linkplain #withdraw withdrawn}.
 */
public final class OperatorRequests implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OperatorRequests.class);

  /** Notified, with the subscription's name, in every submission's transaction. */
  public static final String CHANNEL = "chassis_requests";

  private static final Duration POLL = Duration.ofSeconds(1);
  private static final Duration AWAIT_POLL = Duration.ofMillis(100);
  private static final Duration STOP_WAIT = Duration.ofSeconds(10);
  private static final int ERROR_CHARS = 2000;

  /** What is asked. */
  public enum Kind {
    /** {@link Subscriptions#rebuild}. */
    REBUILD("subscription.rebuild"),
    /** {@link Subscriptions#retry}. */
    RETRY("subscription.retry");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** As stored and shown: {@code subscription.rebuild}, {@code subscription.retry}. */
    public String label() {
      return label;
    }

    static Kind ofLabel(String label) {
      for (Kind kind : values()) {
        if (kind.label.equals(label)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("unknown request kind " + label);
    }
  }

  /** How a request ended. */
  public enum Outcome {
    /** The projection was rebuilt: it replays from position 0. */
    REBUILT,
    /** The dead letter's event was handled and the dead letter is gone. */
    HANDLED,
    /** The handler failed again (the dead letter stays), or the work failed; see the error. */
    FAILED,
    /** No such dead letter (dropped, retried or rebuilt away meanwhile). */
    NOT_FOUND,
    /** Not done as asked, such as a rebuild of a process manager; see the error. */
    REFUSED,
    /** Withdrawn before any instance took it. */
    WITHDRAWN;

    /** As stored and shown: {@code rebuilt}, {@code not-found}... */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether what was asked is done. */
    public boolean succeeded() {
      return this == REBUILT || this == HANDLED;
    }

    static Outcome ofLabel(String label) {
      return valueOf(label.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }

  /**
   * A request that ended.
   *
   * @param eventId the dead letter's event, for a retry
   * @param error why it failed, was refused or was withdrawn
   * @param by the instance that carried it out; empty when withdrawn
   */
  public record Completed(
      long id,
      Kind kind,
      String subscription,
      Optional<UUID> eventId,
      Outcome outcome,
      Optional<String> error,
      Optional<String> by) {}

  private final Database database;
  private final Subscriptions subscriptions;
  private final String instanceId;
  private final String[] names;
  private volatile StoreLoop loop;
  private volatile boolean closed;

  private OperatorRequests(Database database, Subscriptions subscriptions, String instanceId) {
    this.database = database;
    this.subscriptions = subscriptions;
    this.instanceId = instanceId;
    this.names =
        subscriptions.subscriptions().stream().map(Subscription::name).toArray(String[]::new);
  }

  /**
   * Starts carrying out the requests for the subscriptions {@code subscriptions} runs, in this
   * instance.
   *
   * @param instanceId recorded as who carried a request out
   * @throws dev.firemesh.store.StoreException if it cannot listen for requests
   */
  public static OperatorRequests start(
      Database database, Subscriptions subscriptions, String instanceId) {
    OperatorRequests requests = new OperatorRequests(database, subscriptions, instanceId);
    requests.loop =
        StoreLoop.start("operator-requests", database, CHANNEL, POLL, STOP_WAIT, requests::pass);
    return requests;
  }

  /**
   * Asks the instances running projection {@code subscription} to rebuild it.
   *
   * @param requestedBy who asks, for the record
   * @return the request's id, for {@link #await}
   * @throws dev.firemesh.store.StoreException if the store cannot be written
   */
  public static long requestRebuild(Database database, String subscription, String requestedBy) {
    return submit(database, Kind.REBUILD, subscription, Optional.empty(), requestedBy);
  }

  /** Asks the instances running {@code subscription} to retry its dead letter {@code eventId}. */
  public static long requestRetry(
      Database database, String subscription, UUID eventId, String requestedBy) {
    return submit(database, Kind.RETRY, subscription, Optional.of(eventId), requestedBy);
  }

  private static long submit(
      Database database,
      Kind kind,
      String subscription,
      Optional<UUID> eventId,
      String requestedBy) {
    return database.transaction(
        "request " + kind.label() + " of " + subscription,
        c -> {
          long id;
          try (PreparedStatement s =
              c.prepareStatement(
                  "insert into chassis_requests (kind, subscription, event_id, requested_by)"
                      + " values (?, ?, ?, ?) returning id")) {
            s.setString(1, kind.label());
            s.setString(2, subscription);
            s.setObject(3, eventId.orElse(null));
            s.setString(4, requestedBy);
            try (ResultSet rs = s.executeQuery()) {
              rs.next();
              id = rs.getLong(1);
            }
          }
          try (PreparedStatement s = c.prepareStatement("select pg_notify(?, ?)")) {
            s.setString(1, CHANNEL);
            s.setString(2, subscription);
            s.execute();
          }
          return id;
        });
  }

  /**
   * Waits until request {@code id} ends, or {@code timeout} passes.
   *
   * @throws RequestPendingException if it has not ended by then: no instance took it (none runs its
   *     subscription), or one is still at it
   * @throws IllegalArgumentException if there is no request {@code id}
   */
  public static Completed await(Database database, long id, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Request request = read(database, id);
      if (request.completed().isPresent()) {
        return request.completed().get();
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new RequestPendingException(id, request.kind(), request.subscription(), timeout);
      }
      try {
        Thread.sleep(AWAIT_POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RequestPendingException(id, request.kind(), request.subscription(), timeout);
      }
    }
  }

  /**
   * Withdraws request {@code id} if no instance has taken it, so none carries it out later.
   *
   * @param reason recorded as its error
   * @return true if it was pending and is withdrawn; false if it ended or an instance is at it
   */
  public static boolean withdraw(Database database, long id, String reason) {
    return database.transaction(
        "withdraw request " + id,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "update chassis_requests set done_at = clock_timestamp(), outcome = ?, error = ?"
                      + " where id = (select id from chassis_requests where id = ?"
                      + " and done_at is null for update skip locked)")) {
            s.setString(1, Outcome.WITHDRAWN.label());
            s.setString(2, reason);
            s.setLong(3, id);
            return s.executeUpdate() == 1;
          }
        });
  }

  /** A request as stored. */
  private record Request(Kind kind, String subscription, Optional<Completed> completed) {}

  private static Request read(Database database, long id) {
    return database.transaction(
        "read request " + id,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select kind, subscription, event_id, claimed_by, outcome, error"
                      + " from chassis_requests where id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
              if (!rs.next()) {
                throw new IllegalArgumentException("there is no request " + id);
              }
              Kind kind = Kind.ofLabel(rs.getString("kind"));
              String subscription = rs.getString("subscription");
              String outcome = rs.getString("outcome");
              Optional<Completed> completed =
                  outcome == null
                      ? Optional.empty()
                      : Optional.of(
                          new Completed(
                              id,
                              kind,
                              subscription,
                              Optional.ofNullable(rs.getObject("event_id", UUID.class)),
                              Outcome.ofLabel(outcome),
                              Optional.ofNullable(rs.getString("error")),
                              Optional.ofNullable(rs.getString("claimed_by"))));
              return new Request(kind, subscription, completed);
            }
          }
        });
  }

  /** Carries out the requests pending for this instance, one per transaction. */
  private void pass() {
    while (!closed && carryOutNext()) {
      // until none is left for this instance
    }
  }

  /** Takes the oldest pending request for a subscription run here, carries it out, records it. */
  private boolean carryOutNext() {
    return database.transaction(
        "carry out an operator request",
        c -> {
          long id;
          Kind kind;
          String subscription;
          Optional<UUID> eventId;
          try (PreparedStatement s =
              c.prepareStatement(
                  "select id, kind, subscription, event_id from chassis_requests"
                      + " where done_at is null and subscription = any(?)"
                      + " order by id limit 1 for update skip locked")) {
            s.setArray(1, c.createArrayOf("text", names));
            try (ResultSet rs = s.executeQuery()) {
              if (!rs.next()) {
                return false;
              }
              id = rs.getLong("id");
              kind = Kind.ofLabel(rs.getString("kind"));
              subscription = rs.getString("subscription");
              eventId = Optional.ofNullable(rs.getObject("event_id", UUID.class));
            }
          }
          Result result = carryOut(kind, subscription, eventId);
          record(c, id, result);
          log.info(
              "operator request {} ({} of {}{}): {}{}",
              id,
              kind.label(),
              subscription,
              eventId.map(e -> ", event " + e).orElse(""),
              result.outcome().label(),
              result.error().map(e -> ": " + e).orElse(""));
          return true;
        });
  }

  private record Result(Outcome outcome, Optional<String> error) {}

  private Result carryOut(Kind kind, String subscription, Optional<UUID> eventId) {
    try {
      return switch (kind) {
        case REBUILD -> {
          subscriptions.rebuild(subscription);
          yield new Result(Outcome.REBUILT, Optional.empty());
        }
        case RETRY ->
            switch (subscriptions.retry(subscription, eventId.orElseThrow())) {
              case RetryOutcome.Handled h -> new Result(Outcome.HANDLED, Optional.empty());
              case RetryOutcome.Failed f ->
                  new Result(
                      Outcome.FAILED,
                      Optional.of("attempt " + f.attempts() + " failed: " + f.error()));
              case RetryOutcome.NotFound n ->
                  new Result(
                      Outcome.NOT_FOUND,
                      Optional.of(
                          "subscription "
                              + subscription
                              + " has no dead letter "
                              + eventId.orElseThrow()));
            };
      };
    } catch (IllegalArgumentException e) {
      return new Result(Outcome.REFUSED, Optional.of(e.getMessage()));
    } catch (RuntimeException e) {
      return new Result(Outcome.FAILED, Optional.of(e.toString()));
    }
  }

  private void record(Connection c, long id, Result result) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "update chassis_requests set claimed_by = ?, done_at = clock_timestamp(),"
                + " outcome = ?, error = ? where id = ?")) {
      s.setString(1, instanceId);
      s.setString(2, result.outcome().label());
      s.setString(3, result.error().map(OperatorRequests::storable).orElse(null));
      s.setLong(4, id);
      s.executeUpdate();
    }
  }

  /** PostgreSQL text takes no NUL; and a handler's error may be long. */
  private static String storable(String error) {
    String clean = error.replace('\0', ' ');
    return clean.length() > ERROR_CHARS ? clean.substring(0, ERROR_CHARS) : clean;
  }

  /**
   * Stops taking requests, letting one under way finish (not interrupted: that would close its
   * pooled connection's socket under it).
   */
  @Override
  public void close() {
    closed = true;
    loop.close();
  }

  @Override
  public String toString() {
    return "OperatorRequests[" + instanceId + ", " + String.join(",", names) + "]";
  }
}
