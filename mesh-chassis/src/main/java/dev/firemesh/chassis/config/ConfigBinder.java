package dev.firemesh.chassis.config;

import dev.firemesh.api.config.ConfigSchema;
import dev.firemesh.api.config.SchemaNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Binds configuration values to a service's config record, {@code T}. Derived once, at start, from
 * the record's components and their annotations ({@link Range}, {@link DurationRange}, {@link
 * Pattern}, {@link Size}), with the defaults in code:
 *
 * <pre>{@code
 * record OrdersConfig(
 *     @Range(min = 1, max = 1_000_000) long maxOrderQuantity,
 *     BigDecimal maxOrderNotional,
 *     List<@Pattern("[A-Z0-9]{4}") String> allowedVenues,
 *     KillSwitch killSwitch,
 *     @DurationRange(min = "10ms", max = "5s") Duration quoteTimeout,
 *     Secret apiKey) {
 *   static final OrdersConfig DEFAULTS =
 *       new OrdersConfig(1_000, new BigDecimal("5000000.00"), List.of("XLON"),
 *           new KillSwitch(false), Duration.ofMillis(250), null); // apiKey: no default
 * }
 * ConfigBinder<OrdersConfig> binder = ConfigBinder.of(OrdersConfig.class, OrdersConfig.DEFAULTS);
 * }</pre>
 *
 * <p><b>Defaults.</b> Every component of the defaults instance is that field's default; a {@code
 * null} component has none, so some {@code Config} layer must set it ({@code required} in the
 * schema, refused at {@code apply} when missing). A primitive always has a default; use its boxed
 * type for a required number or flag. {@link #withoutDefaults} makes every field required. A nested
 * record's default is its fields' defaults; a list's default is replaced whole.
 *
 * <p><b>Binding.</b> {@link #bind} merges the values over the defaults (objects key by key; lists
 * and scalars replace) and builds the record. It refuses, with every problem and its path: a key
 * the record does not have, a value of the wrong type, a value outside its constraints, a missing
 * required value, a secret written in plain text.
 */
public final class ConfigBinder<T extends Record> {
  private final Class<T> type;
  private final RecordShape shape;
  private final Map<String, Object> defaults;

  private ConfigBinder(Class<T> type, T defaults) {
    this.type = Objects.requireNonNull(type, "type");
    if (defaults != null && defaults.getClass() != type) {
      throw new IllegalArgumentException(
          "the defaults are a " + defaults.getClass().getName() + ", not a " + type.getName());
    }
    try {
      this.shape = RecordShape.derive(type, defaults);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(type.getSimpleName() + ": " + e.getMessage(), e);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> tree =
        defaults == null ? Map.of() : (Map<String, Object>) shape.toValues(defaults);
    this.defaults = tree;
  }

  /**
   * A binder for {@code type} whose defaults are {@code defaults}' components ({@code null} ones
   * have none).
   *
   * @throws IllegalArgumentException when the record uses a type or annotation the chassis does not
   *     support, or a default breaks its own constraints; the message names the field
   */
  public static <T extends Record> ConfigBinder<T> of(Class<T> type, T defaults) {
    return new ConfigBinder<>(type, Objects.requireNonNull(defaults, "defaults"));
  }

  /** A binder for {@code type} with no defaults: every field must be set by a {@code Config}. */
  public static <T extends Record> ConfigBinder<T> withoutDefaults(Class<T> type) {
    return new ConfigBinder<>(type, null);
  }

  public Class<T> type() {
    return type;
  }

  /** The schema the service publishes under its name. */
  public ConfigSchema schema(String service) {
    return new ConfigSchema(service, root());
  }

  /** The root of the schema: an object with one field per component. */
  public SchemaNode root() {
    return shape.node();
  }

  /**
   * The record from {@code values} (a {@code Config}'s merged values: Long or BigDecimal numbers,
   * String, Boolean, List, Map) over the defaults.
   *
   * @throws ConfigBindingException listing every problem with its path
   */
  public T bind(Map<String, ?> values) throws ConfigBindingException {
    List<ConfigProblem> problems = new ArrayList<>();
    Object bound = shape.bind(merge(defaults, values), "", problems);
    if (!problems.isEmpty()) {
      throw new ConfigBindingException(problems);
    }
    return type.cast(bound);
  }

  /** The record from the defaults alone, as a service with no {@code Config} runs. */
  public T defaults() throws ConfigBindingException {
    return bind(Map.of());
  }

  /** Whether {@code path} names a field that holds a value of its own (not an object). */
  boolean isLeaf(String path) {
    ValueShape at = shape;
    for (String part : path.split("\\.", -1)) {
      if (!(at instanceof RecordShape record) || !record.fields().containsKey(part)) {
        return false;
      }
      at = record.fields().get(part);
    }
    return !(at instanceof RecordShape);
  }

  /** Objects merge key by key; anything else in {@code over} replaces what is under it. */
  private static Object merge(Object under, Object over) {
    if (under instanceof Map<?, ?> base && over instanceof Map<?, ?> top) {
      Map<Object, Object> merged = new LinkedHashMap<>(base);
      top.forEach((key, value) -> merged.put(key, merge(base.get(key), value)));
      return merged;
    }
    return over;
  }
}
