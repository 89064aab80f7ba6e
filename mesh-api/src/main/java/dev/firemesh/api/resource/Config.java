package dev.firemesh.api.resource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Application settings for one service in one environment, optionally narrowed to a region or to
 * one instance. Layers apply in order: defaults in code, environment, region, instance.
 *
 * <p>{@code values} is a tree of strings, numbers, booleans, lists and nested maps, as written. It
 * is deeply immutable and its numbers have one representation each, so equal documents give equal
 * values: whole numbers are {@link Long}, numbers with a fraction or exponent are {@link
 * BigDecimal} (kept exactly as written, {@code 1.50} stays {@code 1.50}; one without a fraction,
 * such as {@code 5.}, gets one: {@code 5.0}). Other integral types are widened to {@code Long} and
 * {@code Double}/{@code Float} become {@code BigDecimal} on construction; nulls, non-finite numbers
 * and other types are refused.
 */
public record Config(Metadata metadata, Spec spec) implements Resource {

  @Override
  public Kind kind() {
    return Kind.CONFIG;
  }

  /** {@code region} and {@code instance} empty: the layer applies to the whole environment. */
  public record Spec(
      String service,
      String environment,
      String region,
      String instance,
      Map<String, Object> values) {
    public Spec {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(environment, "environment");
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(instance, "instance");
      values = freezeMap(values, "values");
    }
  }

  private static Map<String, Object> freezeMap(Map<?, ?> map, String path) {
    Map<String, Object> copy = new HashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw new IllegalArgumentException(path + ": keys must be strings, got " + e.getKey());
      }
      copy.put(key, freeze(e.getValue(), path + "." + key));
    }
    return Map.copyOf(copy);
  }

  private static Object freeze(Object value, String path) {
    return switch (value) {
      case null -> throw new IllegalArgumentException(path + ": null is not a value");
      case String s -> s;
      case Boolean b -> b;
      case Long l -> l;
      case Integer i -> i.longValue();
      case Short s -> s.longValue();
      case Byte b -> b.longValue();
      case BigInteger i -> i.longValueExact();
      case BigDecimal d -> decimal(d);
      case Double d -> finite(d, path);
      case Float f -> finite(f.doubleValue(), path);
      case Map<?, ?> m -> freezeMap(m, path);
      case List<?> list -> {
        List<Object> copy = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
          copy.add(freeze(list.get(i), path + "[" + i + "]"));
        }
        yield List.copyOf(copy);
      }
      default ->
          throw new IllegalArgumentException(
              path + ": unsupported value type " + value.getClass().getName());
    };
  }

  private static BigDecimal finite(double d, String path) {
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException(path + ": not a finite number: " + d);
    }
    return decimal(BigDecimal.valueOf(d));
  }

  /** {@code 5} would read back as a whole number: a decimal keeps at least one fraction digit. */
  private static BigDecimal decimal(BigDecimal d) {
    return d.scale() == 0 ? d.setScale(1) : d;
  }
}
