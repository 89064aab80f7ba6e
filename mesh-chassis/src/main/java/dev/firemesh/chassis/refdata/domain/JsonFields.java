package dev.firemesh.chassis.refdata.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.chassis.refdata.InvalidReferenceDataException;
import dev.firemesh.chassis.refdata.standard.InvalidCodeException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the fields of one JSON object into typed values, failing with {@link
 * InvalidReferenceDataException} naming the field by its path from the record's root ({@code
 * hours.open}). Fields it is not asked for are ignored, so a replica reads records written by a
 * newer owner that added one.
 */
final class JsonFields {
  private static final Pattern TIME = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");

  private final JsonNode node;
  private final String path;

  private JsonFields(JsonNode node, String path) {
    this.node = node;
    this.path = path;
  }

  /** The fields of {@code json}, a record's root. */
  static JsonFields of(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new InvalidReferenceDataException(
          "", "expected a JSON object, got " + (json == null ? "nothing" : json.getNodeType()));
    }
    return new JsonFields(json, "");
  }

  JsonFields object(String name) {
    JsonNode value = field(name);
    if (!value.isObject()) {
      throw wrongType(name, "an object", value);
    }
    return new JsonFields(value, path + name + ".");
  }

  String text(String name) {
    JsonNode value = field(name);
    if (!value.isTextual()) {
      throw wrongType(name, "a string", value);
    }
    return value.textValue();
  }

  /** A standard's code, parsed by {@code parser}, whose message becomes the field's. */
  <T> T code(String name, Function<String, T> parser) {
    String text = text(name);
    try {
      return parser.apply(text);
    } catch (InvalidCodeException e) {
      throw new InvalidReferenceDataException(path + name, e.getMessage());
    }
  }

  /** A JSON number, read exactly (a parser set to read floats as {@code BigDecimal} keeps all). */
  BigDecimal decimal(String name) {
    JsonNode value = field(name);
    if (!value.isNumber()) {
      throw wrongType(name, "a number", value);
    }
    return value.decimalValue();
  }

  long whole(String name) {
    JsonNode value = field(name);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw wrongType(name, "a whole number", value);
    }
    return value.longValue();
  }

  LocalTime time(String name) {
    String text = text(name);
    if (!TIME.matcher(text).matches()) {
      throw new InvalidReferenceDataException(
          path + name, "expected a time as HH:mm (00:00 to 23:59), got \"" + text + "\"");
    }
    return LocalTime.parse(text);
  }

  ZoneId zone(String name) {
    String text = text(name);
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      throw new InvalidReferenceDataException(
          path + name,
          "\"" + text + "\" is not a time zone id (expected a region such as Europe/London)");
    }
  }

  <E extends Enum<E>> E option(String name, Class<E> type) {
    String text = text(name);
    try {
      return Enum.valueOf(type, text);
    } catch (IllegalArgumentException e) {
      throw new InvalidReferenceDataException(
          path + name, "\"" + text + "\" is not one of " + names(type.getEnumConstants()));
    }
  }

  Set<DayOfWeek> days(String name) {
    JsonNode value = field(name);
    if (!value.isArray()) {
      throw wrongType(name, "an array of days", value);
    }
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (int i = 0; i < value.size(); i++) {
      JsonNode day = value.get(i);
      String at = path + name + "[" + i + "]";
      if (!day.isTextual()) {
        throw new InvalidReferenceDataException(at, "expected a day such as MONDAY");
      }
      try {
        days.add(DayOfWeek.valueOf(day.textValue()));
      } catch (IllegalArgumentException e) {
        throw new InvalidReferenceDataException(
            at, "\"" + day.textValue() + "\" is not one of " + names(DayOfWeek.values()));
      }
    }
    return days;
  }

  /**
   * Builds a record with {@code constructor}, naming a field it refuses by its path from the root.
   * Read the fields before: a read's own failure already carries the path.
   */
  <T> T build(Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (InvalidReferenceDataException e) {
      if (path.isEmpty()) {
        throw e;
      }
      String field = e.field().isEmpty() ? path.substring(0, path.length() - 1) : path + e.field();
      String message = e.getMessage().substring(e.field().isEmpty() ? 0 : e.field().length() + 2);
      throw new InvalidReferenceDataException(field, message);
    }
  }

  private JsonNode field(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      throw new InvalidReferenceDataException(path + name, "missing");
    }
    return value;
  }

  private InvalidReferenceDataException wrongType(String name, String expected, JsonNode value) {
    return new InvalidReferenceDataException(
        path + name, "expected " + expected + ", got " + value.getNodeType().name().toLowerCase());
  }

  private static String names(Enum<?>[] constants) {
    return Arrays.stream(constants).map(Enum::name).collect(Collectors.joining(", "));
  }
}
