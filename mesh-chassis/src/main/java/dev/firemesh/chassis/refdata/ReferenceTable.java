package dev.firemesh.chassis.refdata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One set's records in a {@link ReferenceView}: immutable, in key order, with the set's secondary
 * indexes. Lookups are in-memory map reads.
 *
 * @param <V> the set's domain record
 */
public final class ReferenceTable<V> {
  private final ReferenceSet<V> set;
  private final SortedMap<String, V> byKey;
  private final Map<String, Map<String, List<V>>> indexes;

  private ReferenceTable(ReferenceSet<V> set, SortedMap<String, V> byKey) {
    this.set = set;
    this.byKey = Collections.unmodifiableSortedMap(byKey);
    this.indexes = index(set, byKey);
  }

  static <V> ReferenceTable<V> empty(ReferenceSet<V> set) {
    return new ReferenceTable<>(set, new TreeMap<>());
  }

  public ReferenceSet<V> set() {
    return set;
  }

  public Optional<V> get(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  /** Every record, in key order. */
  public List<V> all() {
    return List.copyOf(byKey.values());
  }

  /** The keys, in order. */
  public List<String> keys() {
    return List.copyOf(byKey.keySet());
  }

  /**
   * The records an index files under {@code value}, in key order; empty if none.
   *
   * @throws IllegalArgumentException if the set has no such index (a programming error)
   */
  public List<V> by(String indexName, String value) {
    Map<String, List<V>> index = indexes.get(indexName);
    if (index == null) {
      throw new IllegalArgumentException(
          "set '" + set.name() + "' has no index '" + indexName + "'; it has " + indexes.keySet());
    }
    return index.getOrDefault(value, List.of());
  }

  public int size() {
    return byKey.size();
  }

  /** This table with {@code edits} applied: a record for an upsert, empty for a delete. */
  ReferenceTable<V> with(Map<String, Optional<Object>> edits) {
    TreeMap<String, V> copy = new TreeMap<>(byKey);
    edits.forEach(
        (key, record) -> {
          if (record.isPresent()) {
            copy.put(key, cast(record.get()));
          } else {
            copy.remove(key);
          }
        });
    return new ReferenceTable<>(set, copy);
  }

  @SuppressWarnings("unchecked") // records reach a table only through its set's fromJson
  private static <V> V cast(Object record) {
    return (V) record;
  }

  Map<String, V> asMap() {
    return byKey;
  }

  private static <V> Map<String, Map<String, List<V>>> index(
      ReferenceSet<V> set, SortedMap<String, V> byKey) {
    Map<String, Map<String, List<V>>> indexes = new HashMap<>();
    for (Map.Entry<String, Function<V, String>> index : set.indexes().entrySet()) {
      Map<String, List<V>> entries = new HashMap<>();
      for (V record : byKey.values()) { // key order, so each list is in key order too
        String value = index.getValue().apply(record);
        if (value != null) { // a record without the attribute is not filed under the index
          entries.computeIfAbsent(value, k -> new ArrayList<>()).add(record);
        }
      }
      entries.replaceAll((value, records) -> List.copyOf(records));
      indexes.put(index.getKey(), Map.copyOf(entries));
    }
    return Map.copyOf(indexes);
  }
}
