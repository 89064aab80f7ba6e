package dev.firemesh.chassis.refdata.replica;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.chassis.refdata.ReferenceChange;
import dev.firemesh.chassis.refdata.ReferenceFeed;
import dev.firemesh.chassis.refdata.ReferenceSet;
import dev.firemesh.chassis.refdata.ReferenceUpdate;
import dev.firemesh.chassis.refdata.ReferenceView;
import dev.firemesh.chassis.refdata.replica.FeedClient.Answer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live, read-only, in-memory copy of reference data sets owned by another service. It loads a
 * snapshot, then follows the owner's change log by long-poll, applying each page of versions into a
 * new immutable {@link ReferenceView} (copying only the sets a page touches), published through a
 * volatile reference: reads are local and never block. Listeners are told each version once, in
 * order, on the replica's own virtual thread.
 *
 * <p>When the owner cannot be reached the replica keeps serving its last view, reports {@link
 * ReplicaState.Degraded} and a growing lag, and resumes from its version when the owner answers
 * again (an owner restart included). Only when the owner no longer keeps the versions it needs
 * (410) does it reload a snapshot.
 *
 * <pre>{@code
 * ReferenceDataReplica replica = ReferenceDataReplica.builder(URI.create(System.getenv("FIREMESH_OUTBOUND")))
 *     .service("reference-data")
 *     .sets(VENUES, INSTRUMENTS)
 *     .build()
 *     .start();
 * replica.view().of(VENUES).get("XLON");
 * }</pre>
 */
public final class ReferenceDataReplica implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReferenceDataReplica.class);
  private static final Duration MIN_BACKOFF = Duration.ofMillis(100);

  private final FeedClient client;
  private final List<ReferenceSet<?>> sets;
  private final Map<String, ReferenceSet<?>> byName = new LinkedHashMap<>();
  private final String setsQuery;
  private final Duration pollWait;
  private final Duration maxBackoff;
  private final Duration startWait;
  private final List<Consumer<ReferenceUpdate>> listeners = new CopyOnWriteArrayList<>();
  private final Thread follower;
  private final AtomicLong reloads = new AtomicLong();
  private final AtomicLong versionsApplied = new AtomicLong();
  private final AtomicLong changesApplied = new AtomicLong();

  private volatile ReferenceView view;
  private volatile ReplicaState state = new ReplicaState.Loading();
  private volatile boolean closed;
  // Lag bookkeeping, written by the follower only.
  private volatile long ownerHead;
  private volatile Duration ownerClockAhead = Duration.ZERO;
  private volatile Optional<Instant> behindSince = Optional.empty(); // owner's clock
  private volatile Instant lastContact = Instant.now();
  private volatile long pollStartedNanos;

  private ReferenceDataReplica(Builder builder) {
    this.client = new FeedClient(builder.owner, builder.service);
    this.sets = List.copyOf(builder.sets);
    sets.forEach(set -> byName.put(set.name(), set));
    this.setsQuery = "sets=" + String.join(",", byName.keySet());
    this.pollWait = builder.pollWait;
    this.maxBackoff = builder.maxBackoff;
    this.startWait = builder.startWait;
    this.view = ReferenceView.empty(sets);
    this.follower = Thread.ofVirtual().name("refdata-replica").unstarted(this::follow);
  }

  /**
   * @param owner the owner's address: through the sidecar, its outbound listener ({@code
   *     http://127.0.0.1:<outbound>}, with {@link Builder#service}); standing alone, the owner's
   *     own HTTP address
   */
  public static Builder builder(URI owner) {
    return new Builder(owner);
  }

  /**
   * Loads the snapshot, then follows the log on a virtual thread.
   *
   * @throws ReferenceDataUnavailableException if the snapshot cannot be had; the message says from
   *     where and why
   */
  public ReferenceDataReplica start() {
    try {
      loadPatiently();
    } catch (IOException | RuntimeException e) {
      client.close();
      throw new ReferenceDataUnavailableException(
          "cannot load reference data "
              + byName.keySet()
              + " from "
              + client.description()
              + ": "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReferenceDataUnavailableException("interrupted loading reference data", e);
    }
    follower.start();
    return this;
  }

  /** The data at one version, immutable: take it once per unit of work that needs consistency. */
  public ReferenceView view() {
    return view;
  }

  /** The version of the current view (a metric). */
  public long version() {
    return view.version();
  }

  /**
   * How far behind the owner the view is, in milliseconds (a metric): 0 when it holds the owner's
   * head; otherwise from the commit of the oldest version it does not have yet (by the owner's
   * clock); with the feed lost and nothing known to be missing, the time since the last answer.
   */
  public long lagMillis() {
    Instant now = Instant.now();
    Optional<Instant> behind = behindSince;
    if (behind.isPresent()) {
      return Math.max(0, Duration.between(behind.get(), now.plus(ownerClockAhead)).toMillis());
    }
    return connected() ? 0 : Math.max(0, Duration.between(lastContact, now).toMillis());
  }

  /** LOADING, LIVE or DEGRADED with the reason (health). */
  public ReplicaState state() {
    ReplicaState current = state;
    long started = pollStartedNanos;
    if (current instanceof ReplicaState.Live
        && started != 0
        && System.nanoTime() - started > 2 * pollWait.toNanos() + MIN_BACKOFF.toNanos()) {
      // A connection lost without a reset hangs rather than fails: no answer in two poll periods.
      return new ReplicaState.Degraded(
          "no answer from the owner at " + client.description() + " for two poll periods",
          lastContact);
    }
    return current;
  }

  /** Whether the feed is up: the last call to the owner was answered (a metric). */
  public boolean connected() {
    return state() instanceof ReplicaState.Live;
  }

  /** Snapshots loaded after the first one, because the owner no longer kept the log (a metric). */
  public long reloads() {
    return reloads.get();
  }

  /** Versions applied from the log (a metric). */
  public long versionsApplied() {
    return versionsApplied.get();
  }

  /** Record changes applied from the log (a metric). */
  public long changesApplied() {
    return changesApplied.get();
  }

  /** The owner's head as last heard (a metric). */
  public long ownerHead() {
    return ownerHead;
  }

  /**
   * Calls {@code listener} with the changes of each version from now on that touches a set this
   * replica holds, in order, once each, on the replica's thread; the view is already at (or past)
   * that version when it is called. A listener that throws is logged and does not stop the others
   * or the feed.
   */
  public ReferenceDataReplica onChange(Consumer<ReferenceUpdate> listener) {
    listeners.add(Objects.requireNonNull(listener));
    return this;
  }

  @Override
  public void close() {
    closed = true;
    follower.interrupt();
    try {
      follower.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    client.close();
  }

  private void follow() {
    Duration backoff = MIN_BACKOFF;
    while (!closed) {
      try {
        long after = view.version();
        pollStartedNanos = System.nanoTime();
        Answer answer =
            client.get(
                ReferenceFeed.CHANGES
                    + "?after="
                    + after
                    + "&waitMs="
                    + pollWait.toMillis()
                    + "&"
                    + setsQuery,
                pollWait.multipliedBy(2).plus(MIN_BACKOFF));
        pollStartedNanos = 0;
        switch (answer.status()) {
          case 200 -> apply(answer.body());
          case 410 -> {
            log.info(
                "reference data owner no longer has the versions after {} ({}); reloading",
                after,
                answer.error());
            load();
          }
          default ->
              throw new FeedException(
                  "the owner answered " + answer.status() + ": " + answer.error());
        }
        backoff = MIN_BACKOFF;
      } catch (InterruptedException e) {
        return; // closed
      } catch (IOException | RuntimeException e) {
        pollStartedNanos = 0;
        if (closed) {
          return;
        }
        lost(e);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException interrupted) {
          return;
        }
        backoff =
            backoff.multipliedBy(2).compareTo(maxBackoff) > 0
                ? maxBackoff
                : backoff.multipliedBy(2);
      }
    }
  }

  private void lost(Exception e) {
    String reason =
        "owner at "
            + client.description()
            + ": "
            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    if (state instanceof ReplicaState.Degraded degraded && degraded.reason().equals(reason)) {
      return;
    }
    log.warn("reference data feed lost, serving version {}: {}", view.version(), reason);
    state = new ReplicaState.Degraded(reason, Instant.now());
  }

  /**
   * The first load, tried again with back-off until {@link Builder#startWait} has passed: services
   * of a mesh start together, and the owner (or the route to it) may come a little after its
   * readers.
   */
  private void loadPatiently() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + startWait.toNanos();
    Duration pause = MIN_BACKOFF;
    while (true) {
      try {
        load();
        return;
      } catch (IOException | RuntimeException e) {
        if (System.nanoTime() + pause.toNanos() - deadline >= 0) {
          throw e;
        }
        log.info(
            "waiting for the reference data owner at {}: {}", client.description(), e.getMessage());
        Thread.sleep(pause);
        pause =
            pause.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : pause.multipliedBy(2);
      }
    }
  }

  /** Loads a snapshot; after the first, tells listeners what changed as one update. */
  private void load() throws IOException, InterruptedException {
    Answer answer = client.get(ReferenceFeed.SNAPSHOT + "?" + setsQuery, Duration.ofSeconds(30));
    if (answer.status() != 200) {
      throw new FeedException(
          "the owner answered " + answer.status() + " to the snapshot: " + answer.error());
    }
    JsonNode body = answer.body();
    ReferenceView.Editor editor = ReferenceView.empty(sets).edit();
    for (ReferenceSet<?> set : sets) {
      JsonNode records = body.path("sets").path(set.name());
      if (!records.isArray()) {
        throw new FeedException("the snapshot has no set '" + set.name() + "'");
      }
      for (JsonNode json : records) {
        Object record = read(set, json, body.path("version").asLong());
        editor.upsert(set.name(), keyOf(set, record), record);
      }
    }
    long version = body.path("version").asLong();
    Instant committedAt = Instant.parse(body.path("committedAt").asText());
    ReferenceView previous = view;
    boolean first = state instanceof ReplicaState.Loading;
    view = editor.publish(version, committedAt);
    contact(body, version);
    behindSince = Optional.empty();
    if (first) {
      log.info("reference data loaded from {}: {}", client.description(), view);
      return;
    }
    reloads.incrementAndGet();
    tell(List.of(new ReferenceUpdate(version, committedAt, "", diff(previous, view), true)));
  }

  /** Applies a page of versions as one new view, then tells the listeners version by version. */
  private void apply(JsonNode page) {
    long through = page.path("through").asLong();
    ReferenceView base = view;
    ReferenceView.Editor editor = base.edit();
    List<ReferenceUpdate> updates = new ArrayList<>();
    int changes = 0;
    for (JsonNode version : page.path("versions")) {
      long number = version.path("version").asLong();
      if (number <= base.version()) {
        continue; // already have it
      }
      List<ReferenceChange> applied = new ArrayList<>();
      for (JsonNode change : version.path("changes")) {
        ReferenceSet<?> set = byName.get(change.path("set").asText());
        if (set == null) {
          continue; // not a set this replica holds
        }
        String key = change.path("key").asText();
        if (change.path("op").asText().equals("delete")) {
          editor.delete(set.name(), key);
          applied.add(new ReferenceChange.Deleted(set.name(), key));
        } else {
          Object record = read(set, change.path("record"), number);
          editor.upsert(set.name(), key, record);
          applied.add(new ReferenceChange.Upserted(set.name(), key, record));
        }
      }
      changes += applied.size();
      updates.add(
          new ReferenceUpdate(
              number,
              Instant.parse(version.path("committedAt").asText()),
              version.path("commandId").asText(),
              applied,
              false));
    }
    if (through > base.version()) {
      view = editor.publish(through, Instant.parse(page.path("committedAt").asText()));
    }
    versionsApplied.addAndGet(updates.size());
    changesApplied.addAndGet(changes);
    contact(page, through);
    long head = page.path("head").asLong();
    JsonNode pending = page.path("pendingSince");
    behindSince =
        view.version() >= head
            ? Optional.empty()
            : Optional.of(
                pending.isTextual() ? Instant.parse(pending.asText()) : view.committedAt());
    tell(updates);
  }

  private void contact(JsonNode answer, long version) {
    Instant now = Instant.now();
    lastContact = now;
    ownerHead = Math.max(version, answer.path("head").asLong(version));
    if (answer.path("now").isTextual()) {
      ownerClockAhead = Duration.between(now, Instant.parse(answer.path("now").asText()));
    }
    if (!(state instanceof ReplicaState.Live)) {
      if (state instanceof ReplicaState.Degraded degraded) {
        log.info(
            "reference data feed back at version {} after {}",
            view.version(),
            Duration.between(degraded.since(), now));
      }
      state = new ReplicaState.Live();
    }
  }

  private void tell(List<ReferenceUpdate> updates) {
    for (ReferenceUpdate update : updates) {
      for (Consumer<ReferenceUpdate> listener : listeners) {
        try {
          listener.accept(update);
        } catch (RuntimeException e) {
          log.warn("a reference data listener failed on version {}", update.version(), e);
        }
      }
    }
  }

  private static Object read(ReferenceSet<?> set, JsonNode json, long version) {
    try {
      return set.fromJson(json);
    } catch (RuntimeException e) {
      throw new FeedException(
          "version "
              + version
              + " holds a '"
              + set.name()
              + "' record this service cannot read ("
              + e.getMessage()
              + "): is its ReferenceSet older than the owner's?");
    }
  }

  @SuppressWarnings("unchecked") // the record came from this set's fromJson
  private static <V> String keyOf(ReferenceSet<V> set, Object record) {
    return set.keyOf((V) record);
  }

  private static List<ReferenceChange> diff(ReferenceView before, ReferenceView after) {
    List<ReferenceChange> changes = new ArrayList<>();
    for (ReferenceSet<?> set : after.sets()) {
      Map<String, ?> old = before.records(set.name());
      Map<String, ?> now = after.records(set.name());
      old.keySet().stream()
          .filter(key -> !now.containsKey(key))
          .forEach(key -> changes.add(new ReferenceChange.Deleted(set.name(), key)));
      now.forEach(
          (key, record) -> {
            if (!record.equals(old.get(key))) {
              changes.add(new ReferenceChange.Upserted(set.name(), key, record));
            }
          });
    }
    return changes;
  }

  /** The owner answered something the replica cannot use. */
  private static final class FeedException extends RuntimeException {
    FeedException(String message) {
      super(message);
    }
  }

  public static final class Builder {
    private final URI owner;
    private Optional<String> service = Optional.empty();
    private final List<ReferenceSet<?>> sets = new ArrayList<>();
    private Duration pollWait = Duration.ofSeconds(10);
    private Duration maxBackoff = Duration.ofSeconds(2);
    private Duration startWait = Duration.ZERO;

    private Builder(URI owner) {
      if (!"http".equals(owner.getScheme()) || owner.getHost() == null) {
        throw new IllegalArgumentException("the owner's address is http://host:port, not " + owner);
      }
      this.owner = owner;
    }

    /**
     * The owner's service name, sent as each request's host to the {@code owner} address (a
     * sidecar's outbound listener).
     */
    public Builder service(String name) {
      this.service = Optional.of(name);
      return this;
    }

    public Builder sets(ReferenceSet<?>... held) {
      sets.addAll(List.of(held));
      return this;
    }

    /**
     * How long each long-poll waits for a change (the owner caps it at {@link
     * ReferenceFeed#MAX_WAIT}); no answer in two of these and the feed counts as lost.
     */
    public Builder pollWait(Duration wait) {
      if (wait.isNegative() || wait.isZero() || wait.compareTo(ReferenceFeed.MAX_WAIT) > 0) {
        throw new IllegalArgumentException(
            "poll wait is above 0 and at most " + ReferenceFeed.MAX_WAIT + ": " + wait);
      }
      this.pollWait = wait;
      return this;
    }

    /**
     * How long {@link #start()} keeps trying for the first snapshot before it gives up; default 0
     * (one attempt).
     */
    public Builder startWait(Duration wait) {
      if (wait.isNegative()) {
        throw new IllegalArgumentException("start wait must not be negative: " + wait);
      }
      this.startWait = wait;
      return this;
    }

    /** The longest pause between attempts while the owner cannot be reached. */
    public Builder maxBackoff(Duration backoff) {
      if (backoff.compareTo(MIN_BACKOFF) < 0) {
        throw new IllegalArgumentException("back-off is at least " + MIN_BACKOFF + ": " + backoff);
      }
      this.maxBackoff = backoff;
      return this;
    }

    /**
     * @throws IllegalArgumentException without sets, or with two of one name
     */
    public ReferenceDataReplica build() {
      if (sets.isEmpty()) {
        throw new IllegalArgumentException("a replica holds at least one set");
      }
      if (sets.stream().map(ReferenceSet::name).collect(Collectors.toSet()).size() != sets.size()) {
        throw new IllegalArgumentException("two sets share a name: " + sets);
      }
      return new ReferenceDataReplica(this);
    }
  }
}
