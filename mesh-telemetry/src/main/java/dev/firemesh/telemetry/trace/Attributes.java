package dev.firemesh.telemetry.trace;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * A span's or resource's attributes: keys in the order first put, each once, with a value that is a
 * {@link String}, {@link Long}, {@link Boolean} or {@link Double} (what OTLP's {@code AnyValue}
 * holds for the conventions used here). Immutable; made with {@link #builder()}.
 */
public final class Attributes {
  public static final Attributes EMPTY = new Attributes(new String[0], new Object[0]);

  private final String[] keys;
  private final Object[] values;

  private Attributes(String[] keys, Object[] values) {
    this.keys = keys;
    this.values = values;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int size() {
    return keys.length;
  }

  public String key(int index) {
    return keys[index];
  }

  /** A {@link String}, {@link Long}, {@link Boolean} or {@link Double}. */
  public Object value(int index) {
    return values[index];
  }

  public Optional<Object> get(String key) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i].equals(key)) {
        return Optional.of(values[i]);
      }
    }
    return Optional.empty();
  }

  public void forEach(BiConsumer<String, Object> action) {
    for (int i = 0; i < keys.length; i++) {
      action.accept(keys[i], values[i]);
    }
  }

  /** A copy in insertion order, for tests and logs. */
  public Map<String, Object> asMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    forEach(map::put);
    return map;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attributes other
        && Arrays.equals(keys, other.keys)
        && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(keys) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return asMap().toString();
  }

  /** Collects attributes; a key put again replaces its value in place. */
  public static final class Builder {
    private String[] keys = new String[16];
    private Object[] values = new Object[16];
    private int size;

    private Builder() {}

    public Builder put(String key, String value) {
      return set(key, Objects.requireNonNull(value, key));
    }

    public Builder put(String key, long value) {
      return set(key, value);
    }

    public Builder put(String key, boolean value) {
      return set(key, value);
    }

    public Builder put(String key, double value) {
      return set(key, value);
    }

    /** Puts {@code value} unless it is empty: for conventions whose attribute is optional. */
    public Builder putIfNotEmpty(String key, String value) {
      return value.isEmpty() ? this : set(key, value);
    }

    public Builder putAll(Attributes attributes) {
      attributes.forEach(this::set);
      return this;
    }

    private Builder set(String key, Object value) {
      if (key.isEmpty()) {
        throw new IllegalArgumentException("an attribute key must not be empty");
      }
      for (int i = 0; i < size; i++) {
        if (keys[i].equals(key)) {
          values[i] = value;
          return this;
        }
      }
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      keys[size] = key;
      values[size] = value;
      size++;
      return this;
    }

    public Attributes build() {
      return size == 0
          ? EMPTY
          : new Attributes(Arrays.copyOf(keys, size), Arrays.copyOf(values, size));
    }
  }
}
