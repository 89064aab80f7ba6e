package dev.firemesh.chassis.refdata;

import java.util.Optional;

/** One record's change within a version: what a listener is told. */
public sealed interface ReferenceChange {
  /** The set's name. */
  String set();

  String key();

  /** The record written, if this is an upsert in {@code set}. */
  default <V> Optional<V> record(ReferenceSet<V> set) {
    if (this instanceof Upserted(String name, String key, Object record)
        && name.equals(set.name())) {
      @SuppressWarnings("unchecked") // read by that set's fromJson
      V typed = (V) record;
      return Optional.of(typed);
    }
    return Optional.empty();
  }

  /** A record written, new or replacing the one under its key. */
  record Upserted(String set, String key, Object record) implements ReferenceChange {}

  /** A record removed. */
  record Deleted(String set, String key) implements ReferenceChange {}
}
