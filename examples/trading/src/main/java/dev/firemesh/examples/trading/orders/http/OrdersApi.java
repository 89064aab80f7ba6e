package dev.firemesh.examples.trading.orders.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.examples.trading.orders.domain.Order;
import dev.firemesh.examples.trading.orders.domain.OrderDesk;
import dev.firemesh.examples.trading.orders.domain.OrderOutcome;
import dev.firemesh.examples.trading.orders.domain.OrderRequest;
import dev.firemesh.examples.trading.orders.domain.OrderStats;
import dev.firemesh.examples.trading.orders.domain.RejectReason;
import dev.firemesh.examples.trading.plumbing.Json;
import dev.firemesh.examples.trading.plumbing.JsonServer;
import dev.firemesh.examples.trading.plumbing.JsonServer.Reply;
import dev.firemesh.examples.trading.plumbing.JsonServer.Request;
import java.math.BigDecimal;

/** The routes of the orders service, and its JSON shapes. */
final class OrdersApi {
  private final OrderDesk desk;
  private final String instance;
  private final String version;

  OrdersApi(OrderDesk desk, String instance, String version) {
    this.desk = desk;
    this.instance = instance;
    this.version = version;
  }

  JsonServer routes(JsonServer server) {
    return server
        .get("/health", r -> Reply.ok(Json.object().put("status", "UP")))
        .post("/orders", this::place)
        .get("/orders", this::read);
  }

  private Reply place(Request request) {
    if (!request.rest().isEmpty()) {
      return Reply.error(405, "POST orders to /orders");
    }
    JsonNode body = request.body();
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
    ObjectNode answer;
    int status;
    switch (desk.place(order)) {
      case OrderOutcome.Accepted a -> {
        status = 201;
        answer = json(a.order()).put("status", "ACCEPTED");
      }
      case OrderOutcome.Rejected r -> {
        status = r.reason() == RejectReason.DEPENDENCY_UNAVAILABLE ? 503 : 422;
        answer =
            Json.object()
                .put("status", "REJECTED")
                .put("clientOrderId", order.clientOrderId())
                .put("reason", r.reason().name())
                .put("detail", r.detail());
      }
    }
    answer.put("handledBy", instance).put("version", version);
    return new Reply(status, answer);
  }

  private Reply read(Request request) {
    if (request.rest().equals("stats")) {
      OrderStats stats = desk.stats();
      ObjectNode answer =
          Json.object()
              .put("instance", instance)
              .put("version", version)
              .put("accepted", stats.accepted())
              .put("rejected", stats.rejectedTotal());
      ObjectNode reasons = answer.putObject("rejections");
      stats.rejected().forEach((reason, count) -> reasons.put(reason.name(), count));
      return Reply.ok(answer);
    }
    if (request.rest().isEmpty()) {
      return Reply.error(404, "GET /orders/{orderId} or /orders/stats");
    }
    return desk.order(request.rest())
        .map(o -> Reply.ok(json(o).put("status", "ACCEPTED")))
        .orElseGet(
            () ->
                Reply.error(
                    404,
                    "no order "
                        + request.rest()
                        + " on "
                        + instance
                        + " (ids start with the instance)"));
  }

  private static ObjectNode json(Order order) {
    ObjectNode node =
        Json.object()
            .put("orderId", order.orderId())
            .put("clientOrderId", order.clientOrderId())
            .put("account", order.account())
            .put("isin", order.isin().value())
            .put("side", order.side().name())
            .put("quantity", order.quantity());
    node.put("limitPrice", order.limitPrice());
    return node.put("currency", order.currency().getCurrencyCode())
        .put("venue", order.venue())
        .put("acceptedAt", order.acceptedAt().toString());
  }
}
