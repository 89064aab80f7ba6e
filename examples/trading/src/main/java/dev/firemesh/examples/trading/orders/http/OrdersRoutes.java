package dev.firemesh.examples.trading.orders.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.chassis.http.HttpRequest;
import dev.firemesh.chassis.http.HttpResponse;
import dev.firemesh.chassis.http.HttpRoutes;
import dev.firemesh.examples.trading.orders.domain.DeskVerdict;
import dev.firemesh.examples.trading.orders.domain.OrderCommand.PlaceOrder;
import dev.firemesh.examples.trading.orders.domain.OrderDesk;
import dev.firemesh.examples.trading.orders.domain.OrderIntake;
import dev.firemesh.examples.trading.orders.domain.OrderRequest;
import dev.firemesh.examples.trading.orders.domain.OrderState;
import dev.firemesh.examples.trading.orders.domain.OrderStats;
import dev.firemesh.examples.trading.orders.domain.RejectReason;
import dev.firemesh.examples.trading.plumbing.Json;
import java.io.IOException;
import java.math.BigDecimal;

/** The routes of the orders service, and its JSON shapes. */
final class OrdersRoutes {
  private final OrderDesk desk;
  private final RecentOrders orders = new RecentOrders();
  private final String instance;
  private final String version;

  OrdersRoutes(OrderDesk desk, String instance, String version) {
    this.desk = desk;
    this.instance = instance;
    this.version = version;
  }

  HttpRoutes routes() {
    return HttpRoutes.builder()
        .post("/orders", this::place)
        .get("/orders/stats", request -> stats())
        .get("/orders/{orderId}", this::read)
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
    // Who placed it as the caller names itself; the mesh's verified caller is not passed to apps.
    String placedBy = body.path("placedBy").asText("");
    ObjectNode answer;
    int status;
    switch (desk.place(order, placedBy)) {
      case OrderIntake.Refused r -> {
        status = status(r.reason());
        answer = rejection(order.clientOrderId(), r.reason(), r.detail());
      }
      case OrderIntake.Decided d -> {
        RecentOrders.Booked booked = orders.place(d.command());
        switch (d.command().verdict()) {
          case DeskVerdict.Accepted a -> {
            status = 201;
            answer = json(booked);
          }
          case DeskVerdict.Rejected r -> {
            status = status(r.reason());
            answer =
                rejection(order.clientOrderId(), r.reason(), r.detail())
                    .put("orderId", d.command().orderId());
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
    return orders
        .get(id)
        .map(o -> HttpResponse.json(200, json(o).toString()))
        .orElseGet(
            () ->
                HttpResponse.error(
                    404, "no order " + id + " on " + instance + " (ids start with the instance)"));
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

  private static ObjectNode json(RecentOrders.Booked booked) {
    PlaceOrder order = booked.terms();
    OrderState state = booked.state();
    ObjectNode node =
        Json.object()
            .put("orderId", order.orderId())
            .put("clientOrderId", order.clientOrderId())
            .put("account", order.account())
            .put("isin", order.isin())
            .put("side", order.side().name())
            .put("quantity", order.quantity());
    node.put("limitPrice", order.limitPrice());
    node.put("currency", order.currency().getCurrencyCode())
        .put("venue", order.venue())
        .put("status", state.status().name())
        .put("filledQuantity", state.filledQuantity());
    return node;
  }
}
