package dev.firemesh.chassis.refdata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.function.Function;

/**
 * Two small sets for the owner and replica tests, standing in for the real venues, instruments and
 * accounts: trading desks, and books that belong to a desk and have a currency.
 */
public final class TestSets {
  private static final ObjectMapper JSON = new ObjectMapper();

  public record Desk(String id, String region) {}

  public record Book(String id, String desk, String currency, long limit) {}

  public static final ReferenceSet<Desk> DESKS =
      new ReferenceSet<>() {
        @Override
        public String name() {
          return "desks";
        }

        @Override
        public String keyOf(Desk desk) {
          return desk.id();
        }

        @Override
        public JsonNode toJson(Desk desk) {
          return JSON.createObjectNode().put("id", desk.id()).put("region", desk.region());
        }

        @Override
        public Desk fromJson(JsonNode json) {
          String id = text(json, "id");
          if (!id.matches("[A-Z]{2,8}")) {
            throw new InvalidReferenceDataException(
                "id", "2 to 8 capital letters, not '" + id + "'");
          }
          String region = text(json, "region");
          if (!region.matches("EMEA|AMER|APAC")) {
            throw new InvalidReferenceDataException(
                "region", "EMEA, AMER or APAC, not '" + region + "'");
          }
          return new Desk(id, region);
        }

        @Override
        public Map<String, Function<Desk, String>> indexes() {
          return Map.of("region", Desk::region);
        }

        @Override
        public String toString() {
          return name();
        }
      };

  public static final ReferenceSet<Book> BOOKS =
      new ReferenceSet<>() {
        @Override
        public String name() {
          return "books";
        }

        @Override
        public String keyOf(Book book) {
          return book.id();
        }

        @Override
        public JsonNode toJson(Book book) {
          ObjectNode node = JSON.createObjectNode();
          return node.put("id", book.id())
              .put("desk", book.desk())
              .put("currency", book.currency())
              .put("limit", book.limit());
        }

        @Override
        public Book fromJson(JsonNode json) {
          String currency = text(json, "currency");
          if (!currency.matches("[A-Z]{3}")) {
            throw new InvalidReferenceDataException(
                "currency", "three capital letters, not '" + currency + "'");
          }
          JsonNode limit = json.path("limit");
          if (!limit.canConvertToLong() || limit.asLong() < 0) {
            throw new InvalidReferenceDataException("limit", "a whole number, 0 or more");
          }
          return new Book(text(json, "id"), text(json, "desk"), currency, limit.asLong());
        }

        @Override
        public Map<String, Function<Book, String>> indexes() {
          return Map.of("desk", Book::desk, "currency", Book::currency);
        }

        @Override
        public String toString() {
          return name();
        }
      };

  private TestSets() {}

  private static String text(JsonNode json, String field) {
    JsonNode value = json.path(field);
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new InvalidReferenceDataException(field, "required text");
    }
    return value.asText();
  }
}
