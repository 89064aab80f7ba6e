package dev.firemesh.examples.trading.orders.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.chassis.cqrs.CommandMetadata;
import dev.firemesh.chassis.cqrs.CommandOutcome;
import dev.firemesh.chassis.cqrs.CommandProcessor;
import dev.firemesh.chassis.events.EventMetadata;
import dev.firemesh.chassis.events.EventStore;
import dev.firemesh.chassis.events.EventTypes;
import dev.firemesh.chassis.events.RecordedEvent;
import dev.firemesh.chassis.http.ChassisServer;
import dev.firemesh.chassis.http.HttpRequest;
import dev.firemesh.chassis.http.HttpResponse;
import dev.firemesh.chassis.http.HttpRoutes;
import dev.firemesh.chassis.telemetry.CurrentRequest;
import dev.firemesh.examples.trading.orders.domain.OrderAggregate;
import dev.firemesh.examples.trading.orders.domain.OrderCommand.PlaceOrder;
import dev.firemesh.examples.trading.orders.domain.OrderDesk;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderPlaced;
import dev.firemesh.examples.trading.orders.domain.OrderIntake;
import dev.firemesh.examples.trading.orders.domain.OrderRequest;
import dev.firemesh.examples.trading.orders.domain.OrderState;
import dev.firemesh.examples.trading.orders.domain.OrderStats;
import dev.firemesh.examples.trading.orders.domain.OrderStatus;
import dev.firemesh.examples.trading.orders.domain.RejectReason;
import dev.firemesh.examples.trading.plumbing.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The routes of the orders service, and its JSON shapes. Orders live in their event streams ({@code
 * order-<orderId>}): a placement is a command to the {@link OrderAggregate}, a read folds the
 * stream.
 */
final class OrdersRoutes {
  /** Writes event payloads as they are stored: decimals exact, instants as ISO-8601 text. */
  private static final ObjectMapper EVENT_JSON = EventTypes.newMapper();

  private final OrderDesk desk;
  private final OrderAggregate aggregate;
  private final CommandProcessor processor;
  private final EventStore events;
  private final String instance;
  private final String version;

  OrdersRoutes(
      OrderDesk desk,
      OrderAggregate aggregate,
      CommandProcessor processor,
      String instance,
      String version) {
    this.desk = desk;
    this.aggregate = aggregate;
    this.processor = processor;
    this.events = processor.store();
    this.instance = instance;
    this.version = version;
  }

  HttpRoutes routes() {
    return HttpRoutes.builder()
        .post("/orders", this::place)
        .get("/orders/stats", request -> stats())
        .get("/orders/{orderId}", this::read)
        .get("/orders/{orderId}/events", this::history)
        .build();
  }

  private HttpResponse place(HttpRequest request) {
    JsonNode body;
    try {
      body = Json.MAPPER.readTree(request.body());
    } catch (IOException e) {
      return HttpResponse.error(400, "the body is not JSON: " + e.getMessage());
    }
    if (body == null) {
      body = Json.object();
    }
    BigDecimal price;
    try {
      price = new BigDecimal(body.path("limitPrice").asText("0"));
    } catch (NumberFormatException e) {
      price = BigDecimal.ZERO;
    }
    OrderRequest order =
        new OrderRequest(
            body.path("clientOrderId").asText(""),
            body.path("account").asText(""),
            body.path("isin").asText(""),
            body.path("side").asText(""),
            body.path("quantity").asLong(0),
            price);
    String commandId =
        order.clientOrderId().isBlank()
            ? UUID.randomUUID().toString()
            : "place-" + order.clientOrderId();
    if (commandId.length() > CommandProcessor.MAX_COMMAND_ID_LENGTH) {
      return HttpResponse.error(
          400,
          "clientOrderId is longer than "
              + (CommandProcessor.MAX_COMMAND_ID_LENGTH - "place-".length())
              + " characters");
    }
    // Who placed it as the caller names itself, else the caller the sidecar verified.
    String placedBy = body.path("placedBy").asText("");
    String actor =
        placedBy.isBlank()
            ? request.header(ChassisServer.CALLER_HEADER).orElse("unknown")
            : placedBy;
    ObjectNode answer;
    int status;
    switch (desk.place(order, placedBy)) {
      case OrderIntake.Refused r -> {
        status = status(r.reason());
        answer = rejection(order.clientOrderId(), r.reason(), r.detail());
      }
      case OrderIntake.Decided d -> {
        PlaceOrder command = d.command();
        CommandMetadata metadata =
            new CommandMetadata(
                actor, "", CurrentRequest.hop().map(hop -> hop.traceId().hex()).orElse(""));
        // A retried placement (same client order id) answers the order the first one booked.
        switch (processor.handle(aggregate, command.orderId(), commandId, command, metadata)) {
          case CommandOutcome.Accepted accepted -> {
            String orderId = accepted.streamId().substring(OrderAggregate.CATEGORY.length() + 1);
            OrderRecord booked =
                OrderRecord.fold(
                        aggregate, events.readStream(accepted.streamId(), 1), accepted.version())
                    .orElseThrow(
                        () ->
                            new IllegalStateException(
                                "command " + commandId + " left no order in " + orderId));
            if (booked.state().status() == OrderStatus.REJECTED) {
              RejectReason reason =
                  booked.rejection().map(r -> r.reason()).orElse(RejectReason.INVALID_ORDER);
              status = status(reason);
              answer =
                  rejection(
                          booked.terms().clientOrderId(),
                          reason,
                          booked.rejection().map(r -> r.detail()).orElse(""))
                      .put("orderId", orderId);
            } else {
              status = 201;
              answer = json(booked);
            }
          }
          case CommandOutcome.Rejected rejected -> {
            status = 409;
            answer =
                Json.object()
                    .put("status", "REJECTED")
                    .put("clientOrderId", order.clientOrderId())
                    .put("reason", rejected.code())
                    .put("detail", rejected.reason());
          }
        }
      }
    }
    answer.put("handledBy", instance).put("version", version);
    return HttpResponse.json(status, answer.toString());
  }

  private HttpResponse stats() {
    OrderStats stats = desk.stats();
    ObjectNode answer =
        Json.object()
            .put("instance", instance)
            .put("version", version)
            .put("accepted", stats.accepted())
            .put("rejected", stats.rejectedTotal());
    ObjectNode reasons = answer.putObject("rejections");
    stats.rejected().forEach((reason, count) -> reasons.put(reason.name(), count));
    return HttpResponse.json(200, answer.toString());
  }

  private HttpResponse read(HttpRequest request) {
    String id = request.pathParam("orderId");
    return stream(id)
        .flatMap(history -> OrderRecord.fold(aggregate, history, Long.MAX_VALUE))
        .map(o -> HttpResponse.json(200, json(o).put("streamVersion", o.version()).toString()))
        .orElseGet(() -> HttpResponse.error(404, "no order " + id));
  }

  /**
   * The order's events, oldest first, with what the store recorded about each: {@code [{type,
   * version, position, recordedAt, metadata: {eventId, commandId, causationId, correlationId,
   * traceId, actor}, payload}]}. Position 0 is an event not yet in the global order.
   */
  private HttpResponse history(HttpRequest request) {
    String id = request.pathParam("orderId");
    Optional<List<RecordedEvent>> history = stream(id);
    if (history.isEmpty()) {
      return HttpResponse.error(404, "no order " + id);
    }
    ArrayNode all = Json.MAPPER.createArrayNode();
    for (RecordedEvent event : history.get()) {
      EventMetadata m = event.metadata();
      ObjectNode node =
          all.addObject()
              .put("type", event.type())
              .put("version", event.streamVersion())
              .put("position", event.position())
              .put("recordedAt", m.recordedAt().toString());
      ObjectNode metadata =
          node.putObject("metadata")
              .put("eventId", m.eventId().toString())
              .put("correlationId", m.correlationId())
              .put("traceId", m.traceId())
              .put("actor", m.actor());
      m.commandId().ifPresent(c -> metadata.put("commandId", c));
      m.causationId().ifPresent(c -> metadata.put("causationId", c));
      node.set("payload", EVENT_JSON.valueToTree(event.payload()));
    }
    return HttpResponse.json(200, all.toString());
  }

  /** The events of order {@code id}'s stream; empty if it has none or the id cannot name one. */
  private Optional<List<RecordedEvent>> stream(String id) {
    List<RecordedEvent> history;
    try {
      history = events.readStream(OrderAggregate.CATEGORY + "-" + id, 1);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return history.isEmpty() ? Optional.empty() : Optional.of(history);
  }

  private static int status(RejectReason reason) {
    return reason == RejectReason.DEPENDENCY_UNAVAILABLE ? 503 : 422;
  }

  private static ObjectNode rejection(String clientOrderId, RejectReason reason, String detail) {
    return Json.object()
        .put("status", "REJECTED")
        .put("clientOrderId", clientOrderId)
        .put("reason", reason.name())
        .put("detail", detail);
  }

  private static ObjectNode json(OrderRecord order) {
    OrderPlaced terms = order.terms();
    OrderState state = order.state();
    ObjectNode node =
        Json.object()
            .put("orderId", terms.orderId())
            .put("clientOrderId", terms.clientOrderId())
            .put("account", terms.account())
            .put("isin", terms.isin())
            .put("side", terms.side().name())
            .put("quantity", terms.quantity());
    node.put("limitPrice", terms.limitPrice());
    node.put("currency", terms.currency().getCurrencyCode())
        .put("venue", terms.venue())
        .put("placedBy", terms.placedBy())
        .put("status", state.status().name())
        .put("filledQuantity", state.filledQuantity())
        .put("leavesQuantity", state.leavesQuantity());
    node.put("averagePrice", state.averagePrice());
    return node;
  }
}
