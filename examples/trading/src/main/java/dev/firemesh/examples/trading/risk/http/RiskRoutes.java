package dev.firemesh.examples.trading.risk.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.chassis.http.HttpRequest;
import dev.firemesh.chassis.http.HttpResponse;
import dev.firemesh.chassis.http.HttpRoutes;
import dev.firemesh.examples.trading.plumbing.Json;
import dev.firemesh.examples.trading.risk.domain.Exposure;
import dev.firemesh.examples.trading.risk.domain.LimitCheck;
import dev.firemesh.examples.trading.risk.domain.RiskBook;
import dev.firemesh.examples.trading.risk.domain.RiskDecision;
import dev.firemesh.examples.trading.risk.exposure.ExposureReadModel;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** The routes of the risk service, and its JSON shapes. */
final class RiskRoutes {
  private final RiskBook book;
  private final ExposureReadModel exposure;
  final LongAdder approved = new LongAdder();
  final LongAdder breached = new LongAdder();

  RiskRoutes(RiskBook book, ExposureReadModel exposure) {
    this.book = book;
    this.exposure = exposure;
  }

  HttpRoutes routes() {
    return HttpRoutes.builder()
        .get("/limits", request -> limits())
        .post("/checks", this::check)
        .get("/exposure", request -> exposure(exposure.all()))
        .get("/exposure/{account}", request -> exposure(exposure.of(request.pathParam("account"))))
        .build();
  }

  /**
   * Exposure per account and currency from the read model, amounts in the orders' currency: {@code
   * [{account, currency, openNotional, filledToday, usedToday}]}, empty for an account with none.
   */
  private static HttpResponse exposure(List<Exposure> rows) {
    ArrayNode all = Json.MAPPER.createArrayNode();
    rows.forEach(
        e ->
            all.addObject()
                .put("account", e.account())
                .put("currency", e.currency().getCurrencyCode())
                .put("openNotional", e.openNotional())
                .put("filledToday", e.filledToday())
                .put("usedToday", e.usedToday()));
    return HttpResponse.json(200, all.toString());
  }

  private HttpResponse limits() {
    ArrayNode all = Json.MAPPER.createArrayNode();
    book.limits()
        .forEach(
            l ->
                all.addObject()
                    .put("account", l.account())
                    .put("currency", "EUR")
                    .put("maxOrderNotional", l.maxOrderNotional())
                    .put("maxWindowNotional", l.maxWindowNotional())
                    .put("usedInWindow", book.usedEur(l.account())));
    return HttpResponse.json(200, all.toString());
  }

  private HttpResponse check(HttpRequest request) {
    LimitCheck check;
    try {
      JsonNode body = Json.MAPPER.readTree(request.body());
      check =
          new LimitCheck(
              body.path("account").asText(),
              body.path("isin").asText(),
              body.path("quantity").asLong(),
              new BigDecimal(body.path("price").asText()),
              Currency.getInstance(body.path("currency").asText()));
    } catch (IOException | IllegalArgumentException | NullPointerException e) {
      return HttpResponse.error(
          400,
          "expected {account, isin, quantity, price, currency} with a positive quantity and"
              + " price: "
              + e.getMessage());
    }
    ObjectNode answer = Json.object();
    switch (book.check(check)) {
      case RiskDecision.Approved a -> {
        approved.increment();
        answer.put("approved", true);
        answer.put("notionalEur", a.notionalEur());
        answer.put("headroomEur", a.headroomEur());
      }
      case RiskDecision.Breached b -> {
        breached.increment();
        answer.put("approved", false).put("reason", b.reason());
      }
    }
    return HttpResponse.json(200, answer.toString());
  }
}
