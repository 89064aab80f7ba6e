package dev.firemesh.chassis.refdata.owner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.chassis.refdata.ReferenceSet;

/** One step of a {@link Command}: write a record, or remove one by key. */
public sealed interface Edit {
  /** The name of the set the edit is in. */
  String set();

  /** A record to write, in its JSON form; validated by the set's {@code fromJson}. */
  record Upsert(String set, JsonNode record) implements Edit {}

  /** Removes the record under {@code key}, which must exist. */
  record Delete(String set, String key) implements Edit {}

  static <V> Edit upsert(ReferenceSet<V> set, V record) {
    return new Upsert(set.name(), set.toJson(record));
  }

  static Edit delete(ReferenceSet<?> set, String key) {
    return new Delete(set.name(), key);
  }
}
