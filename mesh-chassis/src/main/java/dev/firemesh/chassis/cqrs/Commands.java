package dev.firemesh.chassis.cqrs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firemesh.chassis.client.MeshClient;
import dev.firemesh.chassis.http.HttpResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Sends commands to the services that own their aggregates, over the mesh: the sidecar brings
 * discovery, retries, deadlines and mTLS, and a retry carries the same command id, so the owner
 * applies it once.
 *
 * <p>On the wire: {@code POST /firemesh/commands/v1/<category>/<aggregateId>} with headers {@value
 * #COMMAND_ID_HEADER} (and {@value #CORRELATION_ID_HEADER}), body {@code {"type": "<name>",
 * "command": {...}}}; answered 200 with the {@link CommandOutcome}'s JSON.
 *
 * <pre>{@code
 * CommandOutcome outcome = commands.send("orders", "order", "42", new PlaceOrder(...));
 * // a process manager, reacting to an event: the same event gives the same command id
 * commands.send("venue", "fill", orderId, "fill-of-" + event.metadata().eventId(),
 *     event.metadata().correlationId(), new SimulateFill(...));
 * }</pre>
 */
public final class Commands {
  /** The route of the owner's command endpoint. */
  public static final String ROUTE = "/firemesh/commands/v1/{category}/{aggregateId}";

  /** The command's id: retries carry the same one. */
  public static final String COMMAND_ID_HEADER = "firemesh-command-id";

  /** The id of the first message of the command's chain; the command's own id if absent. */
  public static final String CORRELATION_ID_HEADER = "firemesh-correlation-id";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final MeshClient client;
  private final CommandTypes types;

  public Commands(MeshClient client, CommandTypes types) {
    this.client = client;
    this.types = types;
  }

  /**
   * Sends {@code command} under a new command id, starting its own chain.
   *
   * @throws CommandFailedException if the owner answered an error or could not be reached
   * @throws IllegalArgumentException if the command's class is not in the {@link CommandTypes}
   */
  public CommandOutcome send(String service, String category, String aggregateId, Object command) {
    return send(service, category, aggregateId, UUID.randomUUID().toString(), command);
  }

  /**
   * Sends {@code command} under {@code commandId}: sending the same id again answers the same
   * outcome and applies nothing twice.
   */
  public CommandOutcome send(
      String service, String category, String aggregateId, String commandId, Object command) {
    return send(service, category, aggregateId, commandId, "", command);
  }

  /**
   * Sends {@code command} under {@code commandId} in the chain {@code correlationId} (blank: the
   * command starts its own).
   */
  public CommandOutcome send(
      String service,
      String category,
      String aggregateId,
      String commandId,
      String correlationId,
      Object command) {
    if (commandId.isBlank()) {
      throw new IllegalArgumentException("a command id must not be blank");
    }
    String body = types.encode(command);
    String path =
        "/firemesh/commands/v1/"
            + URLEncoder.encode(category, StandardCharsets.UTF_8)
            + "/"
            + URLEncoder.encode(aggregateId, StandardCharsets.UTF_8).replace("+", "%20");
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(COMMAND_ID_HEADER, commandId);
    if (!correlationId.isBlank()) {
      headers.put(CORRELATION_ID_HEADER, correlationId);
    }
    HttpResponse answer;
    try {
      answer = client.postJson(service, path, headers, body);
    } catch (IOException e) {
      throw new CommandFailedException(
          service,
          "command " + commandId + " to " + service + " got no answer: " + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailedException(
          service, "interrupted while sending command " + commandId + " to " + service, e);
    }
    String text = new String(answer.body(), StandardCharsets.UTF_8);
    if (answer.status() != 200) {
      throw new CommandFailedException(
          service,
          answer.status(),
          "command "
              + commandId
              + " to "
              + service
              + " answered "
              + answer.status()
              + ": "
              + errorMessage(text));
    }
    try {
      return CommandOutcome.fromJson(text);
    } catch (IllegalArgumentException e) {
      throw new CommandFailedException(
          service,
          200,
          "command "
              + commandId
              + " to "
              + service
              + " answered something else than an outcome: "
              + e.getMessage());
    }
  }

  private static String errorMessage(String body) {
    try {
      JsonNode error = JSON.readTree(body).path("error");
      return error.isTextual() ? error.asText() : body;
    } catch (JsonProcessingException e) {
      return body;
    }
  }
}
