package dev.firemesh.chassis.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The event types a service reads and writes: each a record class with a name (stored with every
 * event, so classes may be renamed or moved) and a current schema version, and the upcasters that
 * turn the JSON of each older version into the next. Immutable.
 *
 * <pre>{@code
 * EventTypes types = EventTypes.builder()
 *     .type("OrderPlaced", OrderPlaced.class, 2)
 *     .upcaster("OrderPlaced", 1, json -> json.put("timeInForce", "DAY"))
 *     .type("OrderFilled", OrderFilled.class, 1)
 *     .build();
 * }</pre>
 *
 * <p>Payloads are JSON as Jackson writes records, with {@code Optional} and {@code java.time}
 * values (instants as ISO-8601 text) and decimals kept exact ({@link #newMapper}).
 */
public final class EventTypes {
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.]{0,199}");

  /** A payload as stored: its type's name, the schema version written, and its JSON. */
  public record Encoded(String type, int schemaVersion, String json) {}

  /** A registered type; {@code upcasters.get(i)} reads version {@code i + 1}. */
  private record Registered(String name, Class<?> type, int version, List<Upcaster> upcasters) {}

  private final Map<String, Registered> byName;
  private final Map<Class<?>, Registered> byClass;
  private final ObjectMapper json = newMapper();

  private EventTypes(Map<String, Registered> byName) {
    this.byName = Map.copyOf(byName);
    Map<Class<?>, Registered> classes = new HashMap<>();
    byName.values().forEach(r -> classes.put(r.type(), r));
    this.byClass = Map.copyOf(classes);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A new JSON mapper configured as event payloads are read and written: records, {@code Optional},
   * {@code java.time} as ISO-8601 text, floating point read as exact decimals, a missing primitive
   * an error. Also what the chassis writes commands and snapshot states with.
   */
  public static JsonMapper newMapper() {
    return JsonMapper.builder()
        .addModule(new Jdk8Module())
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        // 10.50 stays 10.50 through upcasting: a price's scale is part of its value
        .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .build();
  }

  /** The registered names. */
  public Set<String> names() {
    return byName.keySet();
  }

  /** Whether {@code name} is registered. */
  public boolean knows(String name) {
    return byName.containsKey(name);
  }

  /**
   * The name {@code type} is registered under.
   *
   * @throws IllegalArgumentException if it is not registered
   */
  public String name(Class<?> type) {
    return registered(type).name();
  }

  /**
   * The class registered under {@code name}.
   *
   * @throws UnreadableEventException if no type has that name
   */
  public Class<?> type(String name) {
    return registered(name, 0).type();
  }

  /**
   * The schema version events of {@code name} are written with.
   *
   * @throws UnreadableEventException if no type has that name
   */
  public int currentVersion(String name) {
    return registered(name, 0).version();
  }

  /**
   * Reads a stored payload: runs the upcasters from {@code schemaVersion} to the current version on
   * its JSON, then binds it to the registered class.
   *
   * @throws UnreadableEventException if the name is unknown, the version is not one this service
   *     knows (below 1, or newer than the current one), or the JSON does not bind
   */
  public Object decode(String name, int schemaVersion, String text) {
    Registered type = registered(name, schemaVersion);
    if (schemaVersion < 1 || schemaVersion > type.version()) {
      throw new UnreadableEventException(
          name,
          schemaVersion,
          "event type "
              + name
              + " has no schema version "
              + schemaVersion
              + "; this service knows versions 1 to "
              + type.version());
    }
    JsonNode node;
    try {
      node = json.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UnreadableEventException(
          name, schemaVersion, "event " + name + " v" + schemaVersion + " is not JSON", e);
    }
    for (int v = schemaVersion; v < type.version(); v++) {
      if (!(node instanceof ObjectNode object)) {
        throw new UnreadableEventException(
            name,
            schemaVersion,
            "event " + name + " v" + v + " is not a JSON object; cannot upcast it to v" + (v + 1));
      }
      try {
        node = Objects.requireNonNull(type.upcasters().get(v - 1).upcast(object), "upcast JSON");
      } catch (RuntimeException e) {
        throw new UnreadableEventException(
            name,
            schemaVersion,
            "upcasting event " + name + " v" + v + " to v" + (v + 1) + " failed: " + e,
            e);
      }
    }
    try {
      return json.treeToValue(node, type.type());
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new UnreadableEventException(
          name,
          schemaVersion,
          "event "
              + name
              + " v"
              + schemaVersion
              + (schemaVersion == type.version() ? "" : " upcast to v" + type.version())
              + " does not read as "
              + type.type().getName()
              + ": "
              + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()),
          e);
    }
  }

  /**
   * Writes a payload as it is stored, with the current schema version.
   *
   * @throws IllegalArgumentException if its class is not registered, or it does not serialize
   */
  public Encoded encode(Object payload) {
    Registered type = registered(payload.getClass());
    try {
      return new Encoded(type.name(), type.version(), json.writeValueAsString(payload));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "event " + type.name() + " does not serialize to JSON: " + e.getOriginalMessage(), e);
    }
  }

  private Registered registered(Class<?> type) {
    Registered found = byClass.get(type);
    if (found == null) {
      throw new IllegalArgumentException(
          type.getName()
              + " is not a registered event type; registered: "
              + new java.util.TreeSet<>(names()));
    }
    return found;
  }

  private Registered registered(String name, int schemaVersion) {
    Registered found = byName.get(name);
    if (found == null) {
      throw new UnreadableEventException(
          name,
          schemaVersion,
          "unknown event type "
              + name
              + (schemaVersion > 0 ? " (schema version " + schemaVersion + ")" : "")
              + "; this service knows "
              + new java.util.TreeSet<>(names()));
    }
    return found;
  }

  @Override
  public String toString() {
    Map<String, Integer> versions = new TreeMap<>();
    byName.values().forEach(r -> versions.put(r.name(), r.version()));
    return "EventTypes" + versions;
  }

  public static final class Builder {
    private record Declared(Class<?> type, int version) {}

    private final Map<String, Declared> types = new LinkedHashMap<>();
    private final Map<String, Map<Integer, Upcaster>> upcasters = new HashMap<>();

    private Builder() {}

    /**
     * Registers {@code type} under {@code name}, written at schema version {@code currentVersion}.
     *
     * @throws IllegalArgumentException for a malformed name (letters, digits, {@code _} and {@code
     *     .}, starting with a letter), a version below 1, or a name or class registered twice
     */
    public Builder type(String name, Class<?> type, int currentVersion) {
      Objects.requireNonNull(type, "type");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "event type name '"
                + name
                + "' must be letters, digits, '_' or '.', starting with a letter");
      }
      if (currentVersion < 1) {
        throw new IllegalArgumentException(
            "event type "
                + name
                + " has schema version "
                + currentVersion
                + "; versions start at 1");
      }
      if (types.containsKey(name)) {
        throw new IllegalArgumentException("event type " + name + " is registered twice");
      }
      types.forEach(
          (other, declared) -> {
            if (declared.type().equals(type)) {
              throw new IllegalArgumentException(
                  type.getName() + " is registered as both " + other + " and " + name);
            }
          });
      types.put(name, new Declared(type, currentVersion));
      return this;
    }

    /** Registers {@code type} at schema version 1. */
    public Builder type(String name, Class<?> type) {
      return type(name, type, 1);
    }

    /**
     * Registers the upcaster from {@code fromVersion} to {@code fromVersion + 1} of {@code name}.
     *
     * @throws IllegalArgumentException if that step already has one
     */
    public Builder upcaster(String name, int fromVersion, Upcaster upcaster) {
      Objects.requireNonNull(upcaster, "upcaster");
      if (upcasters.computeIfAbsent(name, n -> new HashMap<>()).putIfAbsent(fromVersion, upcaster)
          != null) {
        throw new IllegalArgumentException(
            "event type " + name + " has two upcasters from v" + fromVersion);
      }
      return this;
    }

    /**
     * @throws IllegalStateException naming the type and step, if an upcaster is missing (every
     *     version from 1 below the current needs one), is for an unregistered type, or reads a
     *     version that is not below the current one
     */
    public EventTypes build() {
      upcasters.forEach(
          (name, steps) -> {
            Declared declared = types.get(name);
            if (declared == null) {
              throw new IllegalStateException(
                  "upcaster for event type " + name + ", which is not registered");
            }
            steps.keySet().stream()
                .filter(from -> from < 1 || from >= declared.version())
                .findFirst()
                .ifPresent(
                    from -> {
                      throw new IllegalStateException(
                          "upcaster of event type "
                              + name
                              + " from v"
                              + from
                              + ", but its versions are 1 to "
                              + declared.version());
                    });
          });
      Map<String, Registered> registered = new HashMap<>();
      types.forEach(
          (name, declared) -> {
            Map<Integer, Upcaster> steps = upcasters.getOrDefault(name, Map.of());
            List<Upcaster> chain = new ArrayList<>();
            for (int from = 1; from < declared.version(); from++) {
              Upcaster step = steps.get(from);
              if (step == null) {
                throw new IllegalStateException(
                    "event type "
                        + name
                        + " is at schema version "
                        + declared.version()
                        + " but has no upcaster from v"
                        + from
                        + " to v"
                        + (from + 1));
              }
              chain.add(step);
            }
            registered.put(
                name,
                new Registered(name, declared.type(), declared.version(), List.copyOf(chain)));
          });
      return new EventTypes(registered);
    }
  }
}
