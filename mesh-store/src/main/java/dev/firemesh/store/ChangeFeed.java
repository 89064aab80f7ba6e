package dev.firemesh.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the store through PostgreSQL {@code LISTEN/NOTIFY} on a dedicated connection, so every
 * replica sharing the database hears every committed change. Events reach the consumer one at a
 * time, in commit order, on the feed's own virtual thread.
 *
 * <p>The control plane listens on its own channels ({@link #start}); other users (the chassis's
 * event store and schedulers) name theirs ({@link #on}) and hear {@link StoreEvent.Notified}.
 *
 * <p>If the connection drops, the feed reconnects with backoff and emits {@link StoreEvent.Resync}:
 * notifications sent while it was away are lost for good.
 */
public final class ChangeFeed implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);

  /** Channel a resource apply notifies, with the revision number as payload. */
  public static final String RESOURCES_CHANNEL = "firemesh_resources";

  /** Channel a registry change notifies, with the service name as payload. */
  public static final String INSTANCES_CHANNEL = "firemesh_instances";

  private static final int POLL_MILLIS = 250;
  // A connection silently dropped by the network never fails a poll; a query finds out.
  private static final Duration PROBE_EVERY = Duration.ofSeconds(10);
  private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final Database database;
  private final List<String> channels;
  private final Consumer<StoreEvent> consumer;
  private final Thread thread;
  private volatile boolean closed;

  private ChangeFeed(
      Database database, List<String> channels, Consumer<StoreEvent> consumer, Connection first) {
    this.database = database;
    this.channels = channels;
    this.consumer = consumer;
    this.thread = Thread.ofVirtual().name("firemesh-change-feed").unstarted(() -> run(first));
  }

  /**
   * Starts listening. When this returns the feed is listening, so a consumer that loads the state
   * after this call misses no change.
   *
   * @throws StoreException if the first connection cannot be made
   */
  public static ChangeFeed start(Database database, Consumer<StoreEvent> consumer) {
    return on(database, Set.of(RESOURCES_CHANNEL, INSTANCES_CHANNEL), consumer);
  }

  /**
   * Starts listening on {@code channels} (PostgreSQL identifiers: lower case letters, digits and
   * underscores). The control plane's channels are reported as their own events, any other as
   * {@link StoreEvent.Notified}. When this returns the feed is listening.
   *
   * @throws StoreException if the first connection cannot be made
   * @throws IllegalArgumentException if a channel name is not a plain identifier
   */
  public static ChangeFeed on(
      Database database, Set<String> channels, Consumer<StoreEvent> consumer) {
    for (String channel : channels) {
      if (!channel.matches("[a-z_][a-z0-9_]{0,62}")) {
        throw new IllegalArgumentException("not a channel name: '" + channel + "'");
      }
    }
    List<String> names = List.copyOf(new TreeSet<>(channels));
    Connection first;
    try {
      first = listen(database, names);
    } catch (SQLException e) {
      throw new StoreException(
          "cannot listen for changes in " + database.describe() + ": " + Database.rootMessage(e),
          e);
    }
    ChangeFeed feed = new ChangeFeed(database, names, consumer, first);
    feed.thread.start();
    return feed;
  }

  private static Connection listen(Database database, List<String> channels) throws SQLException {
    Connection c = database.connect("firemesh-change-feed");
    try (Statement s = c.createStatement()) {
      for (String channel : channels) {
        s.execute("LISTEN " + channel);
      }
      return c;
    } catch (SQLException e) {
      c.close();
      throw e;
    }
  }

  private void run(Connection first) {
    Optional<Connection> connection = Optional.of(first);
    while (connection.isPresent()) {
      try (Connection c = connection.get()) {
        poll(c);
      } catch (SQLException e) {
        if (!closed) {
          log.warn(
              "change feed lost its connection to {}: {}; reconnecting",
              database.describe(),
              Database.rootMessage(e));
        }
      }
      connection = reconnect();
      connection.ifPresent(c -> deliver(new StoreEvent.Resync()));
    }
  }

  private void poll(Connection c) throws SQLException {
    PGConnection pg = c.unwrap(PGConnection.class);
    long lastHeard = System.nanoTime();
    while (!closed) {
      PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
      if (notifications != null && notifications.length > 0) {
        lastHeard = System.nanoTime();
        for (PGNotification n : notifications) {
          toEvent(n).ifPresent(this::deliver);
        }
      } else if (System.nanoTime() - lastHeard > PROBE_EVERY.toNanos()) {
        try (Statement s = c.createStatement()) {
          s.execute("select 1");
        }
        lastHeard = System.nanoTime();
      }
    }
  }

  private Optional<Connection> reconnect() {
    Duration backoff = MIN_BACKOFF;
    while (!closed) {
      try {
        Thread.sleep(backoff);
        Connection c = listen(database, channels);
        log.info("change feed listening again on {}; consumers resync", database.describe());
        return Optional.of(c);
      } catch (SQLException e) {
        log.warn(
            "change feed cannot reconnect to {}: {}; retrying in {} ms",
            database.describe(),
            Database.rootMessage(e),
            backoff.toMillis());
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      } catch (InterruptedException e) {
        break; // close() interrupts
      }
    }
    return Optional.empty();
  }

  private static Optional<StoreEvent> toEvent(PGNotification n) {
    return switch (n.getName()) {
      case RESOURCES_CHANNEL -> {
        try {
          yield Optional.of(new StoreEvent.ResourcesChanged(Long.parseLong(n.getParameter())));
        } catch (NumberFormatException e) {
          log.warn(
              "ignoring notification on {} with payload '{}': not a revision",
              RESOURCES_CHANNEL,
              n.getParameter());
          yield Optional.empty();
        }
      }
      case INSTANCES_CHANNEL -> Optional.of(new StoreEvent.InstancesChanged(n.getParameter()));
      default -> Optional.of(new StoreEvent.Notified(n.getName(), n.getParameter()));
    };
  }

  private void deliver(StoreEvent event) {
    if (closed) {
      return;
    }
    try {
      consumer.accept(event);
    } catch (RuntimeException e) {
      // One bad event must not stop the feed every replica's caches depend on.
      log.error("change feed consumer failed on {}", event, e);
    }
  }

  /** Stops listening and waits (briefly) for the feed's thread to end. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      if (!thread.join(Duration.ofSeconds(5))) {
        log.warn("change feed thread did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
