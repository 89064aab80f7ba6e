package dev.firemesh.chassis.refdata;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.function.Function;

/**
 * One kind of reference data (venues, instruments, trade accounts): its name, the key of a record,
 * its JSON form and its secondary indexes. The owner and every replica handle records only through
 * this, so the change log, the feed and the replica are the same code for every set.
 *
 * @param <V> the domain record, immutable
 */
public interface ReferenceSet<V> {
  /** The set's name in the change log, the feed and metrics: lower case, such as {@code venues}. */
  String name();

  /** The record's primary key, as text (a MIC, an ISIN, an account id). */
  String keyOf(V value);

  JsonNode toJson(V value);

  /**
   * Reads and validates a record (its standards: check digits, code lists, ranges).
   *
   * @throws InvalidReferenceDataException naming the field at fault and what was expected
   */
  V fromJson(JsonNode json);

  /**
   * The secondary indexes a replica keeps, by name (such as {@code venue}, {@code currency}): each
   * maps a record to the index key it is found under.
   */
  Map<String, Function<V, String>> indexes();
}
