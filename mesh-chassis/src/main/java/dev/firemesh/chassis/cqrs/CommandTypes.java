package dev.firemesh.chassis.cqrs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firemesh.chassis.events.EventTypes;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The commands a service sends or takes: each a record class with a name, which is what travels
 * ({@code {"type": "PlaceOrder", "command": {...}}}), so classes may be renamed or moved. Commands
 * are not stored, so they have no schema versions: a change to one is a new name. Immutable.
 *
 * <pre>{@code
 * CommandTypes commands = CommandTypes.builder()
 *     .type("PlaceOrder", PlaceOrder.class)
 *     .type("CancelOrder", CancelOrder.class)
 *     .build();
 * }</pre>
 */
public final class CommandTypes {
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.]{0,199}");

  private final Map<String, Class<?>> byName;
  private final Map<Class<?>, String> byClass;
  private final ObjectMapper json = EventTypes.newMapper();

  private CommandTypes(Map<String, Class<?>> byName) {
    this.byName = Map.copyOf(byName);
    Map<Class<?>, String> classes = new HashMap<>();
    byName.forEach((name, type) -> classes.put(type, name));
    this.byClass = Map.copyOf(classes);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Set<String> names() {
    return byName.keySet();
  }

  /**
   * The name {@code type} is registered under.
   *
   * @throws IllegalArgumentException if it is not registered
   */
  public String name(Class<?> type) {
    String name = byClass.get(type);
    if (name == null) {
      throw new IllegalArgumentException(
          type.getName() + " is not a registered command type; registered: " + sortedNames());
    }
    return name;
  }

  /**
   * The class registered under {@code name}.
   *
   * @throws InvalidCommandException if no command has that name
   */
  public Class<?> type(String name) {
    Class<?> type = byName.get(name);
    if (type == null) {
      throw new InvalidCommandException(
          "unknown command type '" + name + "'; known: " + sortedNames());
    }
    return type;
  }

  /**
   * Binds a command's JSON to the class registered under {@code name}.
   *
   * @throws InvalidCommandException if the name is unknown or the JSON does not bind (a missing,
   *     unknown or mistyped field, or one the record's constructor refuses)
   */
  public Object decode(String name, JsonNode command) {
    Class<?> type = type(name);
    try {
      return json.treeToValue(command, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new InvalidCommandException(
          "command "
              + name
              + " is not valid: "
              + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()),
          e);
    }
  }

  /**
   * A command as it travels: {@code {"type": name, "command": {...}}}.
   *
   * @throws IllegalArgumentException if its class is not registered, or it does not serialize
   */
  public String encode(Object command) {
    String name = name(command.getClass());
    try {
      return json.writeValueAsString(Map.of("type", name, "command", command));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "command " + name + " does not serialize to JSON: " + e.getOriginalMessage(), e);
    }
  }

  private Set<String> sortedNames() {
    return new TreeSet<>(byName.keySet());
  }

  @Override
  public String toString() {
    return "CommandTypes" + sortedNames();
  }

  public static final class Builder {
    private final Map<String, Class<?>> types = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Registers {@code type} under {@code name}.
     *
     * @throws IllegalArgumentException for a malformed name (letters, digits, {@code _} and {@code
     *     .}, starting with a letter), or a name or class registered twice
     */
    public Builder type(String name, Class<?> type) {
      Objects.requireNonNull(type, "type");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "command type name '"
                + name
                + "' must be letters, digits, '_' or '.', starting with a letter");
      }
      if (types.containsKey(name)) {
        throw new IllegalArgumentException("command type " + name + " is registered twice");
      }
      if (types.containsValue(type)) {
        throw new IllegalArgumentException(type.getName() + " is registered twice");
      }
      types.put(name, type);
      return this;
    }

    public CommandTypes build() {
      return new CommandTypes(types);
    }
  }
}
