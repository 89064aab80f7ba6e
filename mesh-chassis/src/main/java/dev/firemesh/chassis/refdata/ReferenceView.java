package dev.firemesh.chassis.refdata;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reference data at one version: every set, immutable, consistent (a version is a whole command, so
 * a view never holds half of one). The owner serves from one and each replica publishes a new one
 * as it follows the log; a reader keeps the view it took for as long as it needs one version.
 *
 * <pre>{@code
 * ReferenceView view = replica.view();
 * Optional<Venue> lse = view.of(VENUES).get("XLON");
 * List<Instrument> gbp = view.of(INSTRUMENTS).by("currency", "GBP");
 * }</pre>
 */
public final class ReferenceView {
  private final long version;
  private final Instant committedAt;
  private final Map<String, ReferenceTable<?>> tables;

  private ReferenceView(long version, Instant committedAt, Map<String, ReferenceTable<?>> tables) {
    this.version = version;
    this.committedAt = committedAt;
    this.tables = tables;
  }

  /** Version 0 of {@code sets}: nothing in them yet. */
  public static ReferenceView empty(List<? extends ReferenceSet<?>> sets) {
    Map<String, ReferenceTable<?>> tables = new LinkedHashMap<>();
    for (ReferenceSet<?> set : sets) {
      if (tables.put(set.name(), ReferenceTable.empty(set)) != null) {
        throw new IllegalArgumentException("set '" + set.name() + "' is named twice");
      }
    }
    return new ReferenceView(0, Instant.EPOCH, java.util.Collections.unmodifiableMap(tables));
  }

  /** The owner's version this view is at: 0 before any change, then 1, 2, 3... */
  public long version() {
    return version;
  }

  /** When the owner committed this version; {@link Instant#EPOCH} at version 0. */
  public Instant committedAt() {
    return committedAt;
  }

  /**
   * One set's records.
   *
   * @throws IllegalArgumentException if the view does not hold {@code set}
   */
  public <V> ReferenceTable<V> of(ReferenceSet<V> set) {
    ReferenceTable<?> table = tables.get(set.name());
    if (table == null || !table.set().equals(set)) {
      throw new IllegalArgumentException(
          "this view holds the sets " + tables.keySet() + ", not '" + set.name() + "'");
    }
    @SuppressWarnings("unchecked") // the table was made for this very set
    ReferenceTable<V> typed = (ReferenceTable<V>) table;
    return typed;
  }

  /** The set named {@code name}, if this view holds it. */
  public Optional<ReferenceSet<?>> set(String name) {
    return Optional.ofNullable(tables.get(name)).map(ReferenceTable::set);
  }

  public List<ReferenceSet<?>> sets() {
    return tables.values().stream().<ReferenceSet<?>>map(ReferenceTable::set).toList();
  }

  /** The set's records by key, in key order: for snapshots and diffs. */
  public Map<String, ?> records(String setName) {
    ReferenceTable<?> table = tables.get(setName);
    if (table == null) {
      throw new IllegalArgumentException("this view holds no set '" + setName + "'");
    }
    return table.asMap();
  }

  /** Starts the next view from this one; only the sets it touches are copied. */
  public Editor edit() {
    return new Editor(this);
  }

  @Override
  public String toString() {
    StringBuilder sizes = new StringBuilder();
    tables.forEach(
        (name, table) -> sizes.append(' ').append(name).append('=').append(table.size()));
    return "ReferenceView{version=" + version + sizes + "}";
  }

  /** Changes on their way to a new view. Used by one thread, then discarded. */
  public static final class Editor {
    private final ReferenceView base;
    private final Map<String, Map<String, Optional<Object>>> edits = new HashMap<>();

    private Editor(ReferenceView base) {
      this.base = base;
    }

    /** {@code record} must come from the set's {@link ReferenceSet#fromJson}. */
    public Editor upsert(String setName, String key, Object record) {
      edits(setName).put(key, Optional.of(record));
      return this;
    }

    public Editor delete(String setName, String key) {
      edits(setName).put(key, Optional.empty());
      return this;
    }

    /** Whether the record is there with the edits so far applied. */
    public boolean contains(String setName, String key) {
      Optional<Object> edited = edits(setName).get(key);
      return edited != null
          ? edited.isPresent()
          : base.tables.get(setName).asMap().containsKey(key);
    }

    public ReferenceView publish(long version, Instant committedAt) {
      if (version < base.version) {
        throw new IllegalArgumentException(
            "version " + version + " is older than the view's " + base.version);
      }
      Map<String, ReferenceTable<?>> tables = new LinkedHashMap<>(base.tables);
      edits.forEach((name, changes) -> tables.put(name, base.tables.get(name).with(changes)));
      return new ReferenceView(version, committedAt, java.util.Collections.unmodifiableMap(tables));
    }

    private Map<String, Optional<Object>> edits(String setName) {
      if (!base.tables.containsKey(setName)) {
        throw new IllegalArgumentException("no set '" + setName + "' in " + base.tables.keySet());
      }
      return edits.computeIfAbsent(setName, name -> new LinkedHashMap<>());
    }
  }
}
