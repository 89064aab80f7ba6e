package dev.firemesh.chassis.refdata.owner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firemesh.chassis.http.HttpRoutes;
import dev.firemesh.chassis.refdata.InvalidReferenceDataException;
import dev.firemesh.chassis.refdata.ReferenceSet;
import dev.firemesh.chassis.refdata.ReferenceView;
import dev.firemesh.chassis.refdata.owner.ChangeLog.Head;
import dev.firemesh.chassis.refdata.owner.ChangeLog.LoggedChange;
import dev.firemesh.chassis.refdata.owner.ChangeLog.LoggedVersion;
import dev.firemesh.chassis.refdata.owner.ChangeLog.Page;
import dev.firemesh.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service that owns reference data sets: it takes commands, validates them through each set's
 * {@link ReferenceSet#fromJson}, records them durably as versions of the change log in the
 * chassis's PostgreSQL, keeps the current state in memory, and serves snapshots and the change feed
 * to replicas ({@link #routes()}).
 *
 * <p>One owner writes: a command's transaction takes an advisory lock, so versions are 1, 2, 3...
 * in commit order, and a second owner process on the same database (a restart overlapping the old
 * one) waits its turn and first reloads what the other wrote.
 *
 * <pre>{@code
 * ReferenceDataOwner owner = ReferenceDataOwner.builder(database).own(VENUES, INSTRUMENTS).build();
 * owner.apply(Command.of("add-xlon", Edit.upsert(VENUES, xlon)));
 * server.routes(owner.routes());
 * }</pre>
 */
public final class ReferenceDataOwner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReferenceDataOwner.class);
  static final ObjectMapper JSON = new ObjectMapper();

  private final Database database;
  private final Map<String, ReferenceSet<?>> sets;
  private final Retention retention;
  private final ReentrantLock writer = new ReentrantLock();

  /** Changes kept in memory for replicas at the head; those further behind read the database. */
  private static final int RECENT_CHANGES = 10_000;

  private final HeadSignal signal;
  private final RecentVersions recent = new RecentVersions(RECENT_CHANGES);
  private final Thread pruner;
  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong repeated = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private volatile ReferenceView view;
  private volatile long prunedThrough;
  private volatile boolean closed;

  private ReferenceDataOwner(Database database, List<ReferenceSet<?>> sets, Retention retention) {
    this.database = database;
    Map<String, ReferenceSet<?>> byName = new LinkedHashMap<>();
    sets.forEach(set -> byName.put(set.name(), set));
    this.sets = java.util.Collections.unmodifiableMap(byName);
    this.retention = retention;
    this.view =
        database.transaction(
            "load the reference data " + byName.keySet(),
            c -> {
              Head head = ChangeLog.head(c);
              prunedThrough = head.prunedThrough();
              return load(c, head);
            });
    this.signal = new HeadSignal(view.version());
    this.pruner = Thread.ofVirtual().name("refdata-pruner").unstarted(this::pruneEvery);
  }

  public static Builder builder(Database database) {
    return new Builder(database);
  }

  /** The owned sets at the head, as served. */
  public ReferenceView view() {
    return view;
  }

  public List<ReferenceSet<?>> sets() {
    return List.copyOf(sets.values());
  }

  /**
   * Applies a command as one version, all or nothing; a command id seen before is answered with its
   * version, and nothing is written.
   *
   * @throws RefusedCommandException naming the edit and the field at fault; nothing is written
   * @throws dev.firemesh.store.StoreException if the database cannot be written
   */
  public Applied apply(Command command) {
    List<Checked> checked = check(command);
    writer.lock();
    try {
      Outcome outcome =
          database.transaction(
              "apply reference data command " + command.id(), c -> write(c, command, checked));
      if (outcome.applied().repeated()) {
        repeated.incrementAndGet();
      } else {
        applied.incrementAndGet();
      }
      if (outcome.view().isPresent()) { // published once committed, never before
        outcome.logged().ifPresent(recent::add);
        view = outcome.view().get();
        signal.advance(view.version());
      }
      return outcome.applied();
    } catch (RefusedCommandException e) {
      refused.incrementAndGet();
      throw e;
    } finally {
      writer.unlock();
    }
  }

  /** What a command's transaction did, and the view to publish once it commits. */
  private record Outcome(
      Applied applied, Optional<ReferenceView> view, Optional<LoggedVersion> logged) {}

  private Outcome write(Connection c, Command command, List<Checked> checked) throws SQLException {
    Head head = ChangeLog.lockHead(c);
    Optional<Applied> earlier = ChangeLog.earlier(c, command.id());
    if (earlier.isPresent()) {
      return new Outcome(earlier.get(), Optional.empty(), Optional.empty());
    }
    ReferenceView base = view;
    if (head.version() != base.version()) { // another owner process wrote meanwhile
      log.warn(
          "reference data log is at {} but this owner holds {}; reloading",
          head.version(),
          base.version());
      base = load(c, head);
    }
    ReferenceView.Editor editor = base.edit();
    List<LoggedChange> changes = new ArrayList<>();
    for (int i = 0; i < checked.size(); i++) {
      Checked edit = checked.get(i);
      if (edit.record().isPresent()) {
        editor.upsert(edit.set(), edit.key(), edit.record().get());
      } else if (editor.contains(edit.set(), edit.key())) {
        editor.delete(edit.set(), edit.key());
      } else {
        throw new RefusedCommandException(
            i, "", "no '" + edit.set() + "' record '" + edit.key() + "' to delete");
      }
      changes.add(
          new LoggedChange(
              edit.set(),
              edit.key(),
              edit.payload() == null ? LoggedChange.DELETE : LoggedChange.UPSERT,
              edit.payload()));
    }
    long version = head.version() + 1;
    Instant at = ChangeLog.clock(c);
    LoggedVersion logged =
        new LoggedVersion(version, at, command.id(), command.actor(), command.traceId(), changes);
    ChangeLog.append(c, logged);
    return new Outcome(
        new Applied(version, at, false),
        Optional.of(editor.publish(version, at)),
        Optional.of(logged));
  }

  /**
   * Prunes the change log by the retention; done every {@link Retention#pruneEvery()} too.
   *
   * @return the version the log is now pruned through: a replica behind it reloads a snapshot
   */
  public long prune() {
    long through =
        database.transaction("prune the reference data log", c -> ChangeLog.prune(c, retention));
    prunedThrough = through;
    return through;
  }

  /** The snapshot, changes and commands endpoints, for the chassis's HTTP server. */
  public HttpRoutes routes() {
    return new OwnerEndpoints(this).routes();
  }

  /** The head version (a metric). */
  public long version() {
    return view.version();
  }

  /** The version the log is pruned through (a metric). */
  public long prunedThrough() {
    return prunedThrough;
  }

  /** Commands that wrote a version (a metric). */
  public long commandsApplied() {
    return applied.get();
  }

  /** Commands answered from an earlier apply of their id (a metric). */
  public long commandsRepeated() {
    return repeated.get();
  }

  /** Commands refused (a metric). */
  public long commandsRefused() {
    return refused.get();
  }

  /**
   * Answers the long-polls waiting now, and every later one at once: for a stop, so the server's
   * grace is not spent holding replicas' polls open (they reconnect to another owner instance, or
   * back off until this one returns).
   */
  public void endLongPolls() {
    signal.close();
  }

  /** Stops pruning and answers the waiting long-polls; the database stays the caller's. */
  @Override
  public void close() {
    closed = true;
    signal.close();
    pruner.interrupt();
  }

  /** Waits up to {@code wait} for a version after {@code after}. */
  boolean awaitAfter(long after, Duration wait) throws InterruptedException {
    return !closed && signal.await(after, wait);
  }

  /**
   * A page of the log after {@code after} up to {@code through}, or empty when the log no longer
   * holds the versions just after {@code after}.
   */
  Optional<Page> page(long after, long through, Set<String> setNames) {
    if (after >= prunedThrough) {
      Optional<Page> held = recent.page(after, through, setNames);
      if (held.isPresent()) {
        return held;
      }
    }
    return database.transaction(
        "read the reference data log after " + after,
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute("set transaction isolation level repeatable read");
          }
          Head head = ChangeLog.head(c);
          if (after < head.prunedThrough()) {
            return Optional.empty();
          }
          return Optional.of(ChangeLog.page(c, after, through, setNames));
        });
  }

  Map<String, ReferenceSet<?>> setsByName() {
    return sets;
  }

  private ReferenceDataOwner start() {
    pruner.start();
    log.info(
        "reference data owner of {} at version {} (log pruned through {})",
        sets.keySet(),
        view.version(),
        prunedThrough);
    return this;
  }

  private void pruneEvery() {
    while (!closed) {
      try {
        Thread.sleep(retention.pruneEvery());
        prune();
      } catch (InterruptedException e) {
        return; // closed
      } catch (RuntimeException e) {
        log.warn("cannot prune the reference data log; retrying later: {}", e.getMessage());
      }
    }
  }

  /** An edit checked against its set's standard: a record for an upsert, none for a delete. */
  private record Checked(String set, String key, Optional<Object> record, String payload) {}

  private List<Checked> check(Command command) {
    List<Checked> checked = new ArrayList<>();
    for (int i = 0; i < command.edits().size(); i++) {
      Edit edit = command.edits().get(i);
      ReferenceSet<?> set = sets.get(edit.set());
      if (set == null) {
        refused.incrementAndGet();
        throw new RefusedCommandException(
            i, "", "unknown set '" + edit.set() + "'; this owner owns " + sets.keySet());
      }
      try {
        checked.add(
            switch (edit) {
              case Edit.Upsert upsert -> checkUpsert(set, upsert.record());
              case Edit.Delete delete -> {
                if (delete.key().isBlank()) {
                  throw new InvalidReferenceDataException("key", "must not be blank");
                }
                yield new Checked(set.name(), delete.key(), Optional.empty(), null);
              }
            });
      } catch (InvalidReferenceDataException e) {
        refused.incrementAndGet();
        throw new RefusedCommandException(i, e.field(), e.getMessage());
      } catch (RuntimeException e) { // a set's fromJson meeting JSON of the wrong shape
        refused.incrementAndGet();
        throw new RefusedCommandException(
            i, "", "not a valid '" + set.name() + "' record: " + e.getMessage());
      }
    }
    return checked;
  }

  private static <V> Checked checkUpsert(ReferenceSet<V> set, JsonNode json) {
    V record = set.fromJson(json);
    String key = set.keyOf(record);
    if (key == null || key.isBlank()) {
      throw new InvalidReferenceDataException("", "the record's key is blank");
    }
    try {
      // Stored as the set writes it, so the log holds canonical records, not the sender's text.
      String payload = JSON.writeValueAsString(set.toJson(record));
      return new Checked(set.name(), key, Optional.of(record), payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JsonNode always serializes", e);
    }
  }

  private ReferenceView load(Connection c, Head head) throws SQLException {
    ReferenceView.Editor editor = ReferenceView.empty(List.copyOf(sets.values())).edit();
    for (Map.Entry<String, Map<String, String>> stored : ChangeLog.current(c).entrySet()) {
      ReferenceSet<?> set = sets.get(stored.getKey());
      if (set == null) {
        log.warn(
            "the store holds {} '{}' records, a set this owner does not own; not served",
            stored.getValue().size(),
            stored.getKey());
        continue;
      }
      stored
          .getValue()
          .forEach((key, payload) -> editor.upsert(set.name(), key, read(set, key, payload)));
    }
    return editor.publish(head.version(), head.committedAt());
  }

  private static Object read(ReferenceSet<?> set, String key, String payload) {
    try {
      return set.fromJson(JSON.readTree(payload));
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalStateException(
          "stored '"
              + set.name()
              + "' record '"
              + key
              + "' no longer reads as one ("
              + e.getMessage()
              + "); fix it with a command from an owner that reads it, or delete it",
          e);
    }
  }

  public static final class Builder {
    private final Database database;
    private final List<ReferenceSet<?>> sets = new ArrayList<>();
    private Retention retention = Retention.DEFAULT;

    private Builder(Database database) {
      this.database = database;
    }

    public Builder own(ReferenceSet<?>... owned) {
      sets.addAll(List.of(owned));
      return this;
    }

    public Builder retention(Retention retention) {
      this.retention = retention;
      return this;
    }

    /**
     * Loads the current state from the store and starts pruning.
     *
     * @throws IllegalArgumentException without sets, or with two of one name
     * @throws IllegalStateException if a stored record no longer validates
     */
    public ReferenceDataOwner build() {
      if (sets.isEmpty()) {
        throw new IllegalArgumentException("an owner owns at least one set");
      }
      if (sets.stream().map(ReferenceSet::name).distinct().count() != sets.size()) {
        throw new IllegalArgumentException("two sets share a name: " + sets);
      }
      return new ReferenceDataOwner(database, sets, retention).start();
    }
  }
}
