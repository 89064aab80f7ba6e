package dev.firemesh.chassis.cqrs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firemesh.chassis.events.WrongExpectedVersionException;
import dev.firemesh.chassis.http.ChassisServer;
import dev.firemesh.chassis.http.HttpError;
import dev.firemesh.chassis.http.HttpRequest;
import dev.firemesh.chassis.http.HttpResponse;
import dev.firemesh.chassis.http.HttpRoutes;
import dev.firemesh.chassis.telemetry.CurrentRequest;
import dev.firemesh.store.StoreException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner's side of {@link Commands}: {@code POST /firemesh/commands/v1/{category}/{aggregateId}}
 * with {@code {"type": ..., "command": {...}}}, answered 200 with the outcome (a rejection
 * included), 400 for a command that cannot be taken, 404 for a category not owned here, 409 when
 * every attempt met a conflicting append, 503 when the store is away.
 */
final class CommandEndpoint {
  private static final Logger log = LoggerFactory.getLogger(CommandEndpoint.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CommandProcessor processor;

  CommandEndpoint(CommandProcessor processor) {
    this.processor = processor;
  }

  HttpRoutes routes() {
    return HttpRoutes.builder().post(Commands.ROUTE, this::command).build();
  }

  private HttpResponse command(HttpRequest request) {
    String category = request.pathParam("category");
    if (!processor.categories().contains(category)) {
      throw new HttpError(
          404,
          "no aggregate of category '"
              + category
              + "' here; this service owns "
              + new java.util.TreeSet<>(processor.categories()));
    }
    String aggregateId = decode(request.pathParam("aggregateId"));
    String commandId =
        request
            .header(Commands.COMMAND_ID_HEADER)
            .filter(id -> !id.isBlank())
            .orElseThrow(
                () ->
                    new HttpError(
                        400,
                        "a command needs a "
                            + Commands.COMMAND_ID_HEADER
                            + " header: retries of the command carry the same id"));
    JsonNode body;
    try {
      body = JSON.readTree(request.body());
    } catch (java.io.IOException e) {
      throw new HttpError(400, "the body is not JSON: " + originalMessage(e));
    }
    if (body == null
        || !body.isObject()
        || !body.path("type").isTextual()
        || !body.path("command").isObject()) {
      throw new HttpError(
          400, "a command is {\"type\": \"<name>\", \"command\": {...}}, with both fields");
    }
    CommandMetadata metadata =
        new CommandMetadata(
            request.header(ChassisServer.CALLER_HEADER).orElse("unknown"),
            request.header(Commands.CORRELATION_ID_HEADER).orElse(""),
            CurrentRequest.hop().map(hop -> hop.traceId().hex()).orElse(""));
    try {
      Object command =
          processor.commandTypes().decode(body.get("type").asText(), body.get("command"));
      CommandOutcome outcome =
          processor.handle(category, aggregateId, commandId, command, metadata);
      return HttpResponse.json(200, outcome.toJson());
    } catch (InvalidCommandException | IllegalArgumentException e) {
      throw new HttpError(400, e.getMessage());
    } catch (WrongExpectedVersionException e) {
      throw new HttpError(
          409,
          "the "
              + category
              + " kept changing under the command ("
              + CommandProcessor.MAX_ATTEMPTS
              + " attempts); send it again with the same id");
    } catch (StoreException e) {
      log.warn(
          "command {} on {}-{} not handled: {}", commandId, category, aggregateId, e.getMessage());
      throw new HttpError(
          503, "the event store is unavailable; send the command again with the same id");
    }
  }

  /** A path segment's percent escapes ({@code +} is itself here, not a space). */
  private static String decode(String segment) {
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, "aggregate id '" + segment + "' is not a valid path segment");
    }
  }

  private static String originalMessage(java.io.IOException e) {
    return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
  }
}
