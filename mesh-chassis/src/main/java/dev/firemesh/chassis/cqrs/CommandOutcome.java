package dev.firemesh.chassis.cqrs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What became of a command, the same however often its id is sent: accepted (with the events it
 * appended) or rejected by the aggregate (a result, not an error).
 *
 * <p>As JSON, stored in {@code es_commands} and answered over the mesh: {@code {"outcome":
 * "accepted", "stream": "order-42", "version": 3, "events": ["<uuid>", ...]}} or {@code {"outcome":
 * "rejected", "code": "ORDER_NOT_OPEN", "reason": "..."}}.
 */
public sealed interface CommandOutcome {

  /**
   * Accepted.
   *
   * @param version the stream's version after the command (unchanged if it decided no event)
   * @param eventIds the events it appended, in order; empty if it decided none
   */
  record Accepted(String streamId, long version, List<UUID> eventIds) implements CommandOutcome {
    public Accepted {
      Objects.requireNonNull(streamId, "streamId");
      eventIds = List.copyOf(eventIds);
    }
  }

  /** Rejected by the aggregate, with its stable code and a reason for people. */
  record Rejected(String code, String reason) implements CommandOutcome {
    public Rejected {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** The JSON form. */
  default String toJson() {
    ObjectNode root = OutcomeJson.MAPPER.createObjectNode();
    switch (this) {
      case Accepted accepted -> {
        root.put("outcome", "accepted");
        root.put("stream", accepted.streamId());
        root.put("version", accepted.version());
        ArrayNode events = root.putArray("events");
        accepted.eventIds().forEach(id -> events.add(id.toString()));
      }
      case Rejected rejected -> {
        root.put("outcome", "rejected");
        root.put("code", rejected.code());
        root.put("reason", rejected.reason());
      }
    }
    return root.toString();
  }

  /**
   * Reads the JSON form.
   *
   * @throws IllegalArgumentException if {@code json} is not an outcome
   */
  static CommandOutcome fromJson(String json) {
    JsonNode root;
    try {
      root = OutcomeJson.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a command outcome: " + e.getOriginalMessage(), e);
    }
    return switch (root.path("outcome").asText("")) {
      case "accepted" -> {
        JsonNode stream = root.path("stream");
        JsonNode version = root.path("version");
        JsonNode events = root.path("events");
        if (!stream.isTextual() || !version.canConvertToLong() || !events.isArray()) {
          throw new IllegalArgumentException(
              "an accepted outcome needs \"stream\", \"version\" and \"events\": " + json);
        }
        List<UUID> ids = new ArrayList<>();
        for (JsonNode id : events) {
          try {
            ids.add(UUID.fromString(id.asText()));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("event id '" + id.asText() + "' is not a UUID", e);
          }
        }
        yield new Accepted(stream.asText(), version.asLong(), ids);
      }
      case "rejected" -> {
        if (!root.path("code").isTextual() || !root.path("reason").isTextual()) {
          throw new IllegalArgumentException(
              "a rejected outcome needs \"code\" and \"reason\": " + json);
        }
        yield new Rejected(root.get("code").asText(), root.get("reason").asText());
      }
      default ->
          throw new IllegalArgumentException(
              "not a command outcome (\"outcome\" must be \"accepted\" or \"rejected\"): " + json);
    };
  }
}

/** The mapper of the outcome's JSON form, out of the public interface. */
final class OutcomeJson {
  static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private OutcomeJson() {}
}
