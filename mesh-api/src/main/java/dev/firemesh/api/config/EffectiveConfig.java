package dev.firemesh.api.config;

import dev.firemesh.api.resource.Config;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The configuration in force for one instance of a service: its {@code Config} layers merged
 * (environment, then region, then instance; maps merge key by key, lists and scalars replace) and,
 * per leaf path ({@code limits.maxQuantity}), the layer that set it ({@code Config/orders-prod}).
 *
 * <p>{@link #document()} is the canonical JSON the control plane serves over RTDS, {@code
 * {"environment","instance","region","revision","service","sources","values"}}, and {@link
 * #digest()} the SHA-256 of it in lower-case hex.
 *
 * @param revision the store revision this was computed at
 */
public record EffectiveConfig(
    String service,
    String environment,
    String region,
    String instance,
    long revision,
    Map<String, Object> values,
    Map<String, String> sources) {

  /** The source of a value that came from the schema's defaults in code. */
  public static final String DEFAULT_SOURCE = "default";

  public EffectiveConfig {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(instance, "instance");
    values = Map.copyOf(values);
    sources = Map.copyOf(sources);
  }

  /**
   * Merges the layers among {@code configs} (of any services) that apply to one instance: those of
   * {@code service} in {@code environment}, for every region or {@code region}, for every instance
   * or {@code instance}.
   */
  public static EffectiveConfig of(
      Collection<Config> configs,
      String service,
      String environment,
      String region,
      String instance,
      long revision) {
    List<Config> layers = new ArrayList<>();
    for (Config c : configs) {
      Config.Spec s = c.spec();
      if (s.service().equals(service)
          && s.environment().equals(environment)
          && (s.region().isEmpty() || s.region().equals(region))
          && (s.instance().isEmpty() || s.instance().equals(instance))) {
        layers.add(c);
      }
    }
    layers.sort(
        Comparator.comparingInt(EffectiveConfig::rank).thenComparing(c -> c.metadata().name()));
    Map<String, Object> values = Map.of();
    Map<String, String> sources = new HashMap<>();
    for (Config layer : layers) {
      values = merge(values, layer.spec().values(), "", sourceOf(layer), sources);
    }
    return new EffectiveConfig(service, environment, region, instance, revision, values, sources);
  }

  /** How a Config layer names itself in {@link #sources()}: {@code Config/<name>}. */
  public static String sourceOf(Config config) {
    return "Config/" + config.metadata().name();
  }

  /** Environment 0, region 1, instance 2, region and instance 3: later layers win. */
  private static int rank(Config c) {
    return (c.spec().instance().isEmpty() ? 0 : 2) + (c.spec().region().isEmpty() ? 0 : 1);
  }

  /**
   * The same with {@code defaults} (the schema's, {@link ConfigSchema#defaults()}) beneath every
   * layer: values no layer sets come from them, with the source {@value #DEFAULT_SOURCE}.
   */
  public EffectiveConfig withDefaults(Map<String, Object> defaults) {
    Map<String, String> merged = new HashMap<>();
    Map<String, Object> tree = merge(Map.of(), defaults, "", DEFAULT_SOURCE, merged);
    // Replaying the merged layers over the defaults drops every default a layer shadows; each
    // leaf the layers set is then given back the source that set it.
    String layered = "\0layered";
    tree = merge(tree, values, "", layered, merged);
    merged.replaceAll(
        (path, source) -> source.equals(layered) ? sources.getOrDefault(path, "") : source);
    return new EffectiveConfig(service, environment, region, instance, revision, tree, merged);
  }

  /** The canonical JSON served over RTDS (see {@link CanonicalJson}). */
  public String document() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("service", service);
    doc.put("environment", environment);
    doc.put("region", region);
    doc.put("instance", instance);
    doc.put("revision", revision);
    doc.put("values", values);
    doc.put("sources", new TreeMap<String, Object>(sources));
    return CanonicalJson.write(doc);
  }

  /** SHA-256 of {@link #document()}'s UTF-8 bytes, lower-case hex. */
  public String digest() {
    return sha256(document());
  }

  /** Whether {@code other} holds the same values from the same sources (revisions aside). */
  public boolean sameContent(EffectiveConfig other) {
    return values.equals(other.values) && sources.equals(other.sources);
  }

  /** The same content, stamped with another revision. */
  public EffectiveConfig atRevision(long newRevision) {
    return new EffectiveConfig(
        service, environment, region, instance, newRevision, values, sources);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * {@code overlay} over {@code base}: maps merge key by key, anything else replaces. {@code
   * sources} is updated in place: each leaf the overlay sets is attributed to {@code source}, and
   * the leaves it replaces (below a map it overwrote with a scalar or list) are dropped.
   */
  private static Map<String, Object> merge(
      Map<String, Object> base,
      Map<String, Object> overlay,
      String prefix,
      String source,
      Map<String, String> sources) {
    Map<String, Object> merged = new HashMap<>(base);
    for (Map.Entry<String, Object> e : overlay.entrySet()) {
      String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      Object before = base.get(e.getKey());
      if (e.getValue() instanceof Map<?, ?> map) {
        if (!(before instanceof Map<?, ?>)) {
          sources.remove(path);
          before = Map.of();
        }
        merged.put(e.getKey(), merge(asMap(before), asMap(map), path, source, sources));
      } else {
        if (before instanceof Map<?, ?>) {
          String below = path + ".";
          sources.keySet().removeIf(p -> p.startsWith(below));
        }
        merged.put(e.getKey(), e.getValue());
        sources.put(path, source);
      }
    }
    return Map.copyOf(merged);
  }

  @SuppressWarnings("unchecked") // config value trees have string keys (Config.Spec checks)
  private static Map<String, Object> asMap(Object map) {
    return (Map<String, Object>) map;
  }
}
