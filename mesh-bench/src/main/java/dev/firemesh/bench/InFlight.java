package dev.firemesh.bench;

import java.util.Arrays;

/**
 * The requests one connection has in flight, keyed by what the protocol answers by: a sequence
 * number on HTTP/1.1 (answers come in order) or the stream id on HTTP/2 (answers come in any order;
 * the key is the stream id halved, so consecutive too). Each entry holds the request's slot, its
 * actual send time and the status of its answer so far. Primitive arrays with open addressing,
 * sized once for the connection's limit, so the hot path allocates nothing. Owned by one event
 * loop.
 */
final class InFlight {

  private static final long EMPTY = -1;

  private final int limit;
  private final int mask;
  private final long[] keys;
  private final long[] slots;
  private final long[] sentNanos;
  private final int[] statuses;
  private int size;

  /** The most requests a connection may have in flight. */
  static final int MAX_LIMIT = 1 << 20;

  /** Room for {@code limit} requests. */
  InFlight(int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "in-flight limit must be 1 to " + MAX_LIMIT + ", was " + limit);
    }
    this.limit = limit;
    // at most half full, so probes stay short even when keys are not consecutive
    int capacity = Integer.highestOneBit(Math.max(2, limit) * 2 - 1) << 1;
    this.mask = capacity - 1;
    this.keys = new long[capacity];
    this.slots = new long[capacity];
    this.sentNanos = new long[capacity];
    this.statuses = new int[capacity];
    Arrays.fill(keys, EMPTY);
  }

  int size() {
    return size;
  }

  boolean isFull() {
    return size >= limit;
  }

  /** Adds a request under a key (0 or more) not in flight already. */
  void add(long key, long slot, long sent) {
    if (key < 0) {
      throw new IllegalArgumentException("keys are 0 or more, was " + key);
    }
    if (isFull()) {
      throw new IllegalStateException("already " + size + " requests in flight");
    }
    int i = home(key);
    while (keys[i] != EMPTY) {
      if (keys[i] == key) {
        throw new IllegalStateException("request " + key + " is already in flight");
      }
      i = (i + 1) & mask;
    }
    keys[i] = key;
    slots[i] = slot;
    sentNanos[i] = sent;
    statuses[i] = 0;
    size++;
  }

  /** The position of {@code key}'s entry, or -1; valid until the next add or remove. */
  int find(long key) {
    int i = home(key);
    while (keys[i] != EMPTY) {
      if (keys[i] == key) {
        return i;
      }
      i = (i + 1) & mask;
    }
    return -1;
  }

  long slot(int position) {
    return slots[position];
  }

  long sentNanos(int position) {
    return sentNanos[position];
  }

  int status(int position) {
    return statuses[position];
  }

  void status(int position, int status) {
    statuses[position] = status;
  }

  /**
   * Removes the entry at {@code position}, shifting later entries of its probe run back so that
   * lookups never need tombstones.
   */
  void remove(int position) {
    if (keys[position] == EMPTY) {
      throw new IllegalArgumentException("no request at position " + position);
    }
    int hole = position;
    int i = (hole + 1) & mask;
    while (keys[i] != EMPTY) {
      int home = home(keys[i]);
      // the entry at i may move into the hole unless its home lies cyclically in (hole, i]
      boolean homeBetween = hole <= i ? hole < home && home <= i : hole < home || home <= i;
      if (!homeBetween) {
        keys[hole] = keys[i];
        slots[hole] = slots[i];
        sentNanos[hole] = sentNanos[i];
        statuses[hole] = statuses[i];
        hole = i;
      }
      i = (i + 1) & mask;
    }
    keys[hole] = EMPTY;
    size--;
  }

  /** Removes every entry, handing each slot to {@code lost} first. */
  void clear(SlotConsumer lost) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != EMPTY) {
        lost.accept(slots[i]);
        keys[i] = EMPTY;
      }
    }
    size = 0;
  }

  /** How many entries have a slot that {@code counts}. */
  long count(SlotPredicate counts) {
    long n = 0;
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != EMPTY && counts.test(slots[i])) {
        n++;
      }
    }
    return n;
  }

  private int home(long key) {
    // keys are consecutive per connection, so in-flight ones rarely share a home
    return (int) key & mask;
  }

  @FunctionalInterface
  interface SlotConsumer {
    void accept(long slot);
  }

  @FunctionalInterface
  interface SlotPredicate {
    boolean test(long slot);
  }
}
