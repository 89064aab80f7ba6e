package dev.firemesh.examples.trading.risk.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.examples.trading.plumbing.Json;
import dev.firemesh.examples.trading.plumbing.JsonServer;
import dev.firemesh.examples.trading.plumbing.JsonServer.Reply;
import dev.firemesh.examples.trading.plumbing.JsonServer.Request;
import dev.firemesh.examples.trading.risk.domain.LimitCheck;
import dev.firemesh.examples.trading.risk.domain.RiskBook;
import dev.firemesh.examples.trading.risk.domain.RiskDecision;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.concurrent.atomic.LongAdder;

/** The routes of the risk service, and its JSON shapes. */
public final class RiskApi {
  private final RiskBook book;
  final LongAdder approved = new LongAdder();
  final LongAdder breached = new LongAdder();

  public RiskApi(RiskBook book) {
    this.book = book;
  }

  public JsonServer routes(JsonServer server) {
    return server
        .get("/health", r -> Reply.ok(Json.object().put("status", "UP")))
        .get("/limits", this::limits)
        .post("/checks", this::check);
  }

  private Reply limits(Request request) {
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
    return Reply.ok(all);
  }

  private Reply check(Request request) {
    JsonNode body = request.body();
    LimitCheck check;
    try {
      check =
          new LimitCheck(
              body.path("account").asText(),
              body.path("isin").asText(),
              body.path("quantity").asLong(),
              new BigDecimal(body.path("price").asText()),
              Currency.getInstance(body.path("currency").asText()));
    } catch (IllegalArgumentException e) {
      return Reply.error(
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
    return Reply.ok(answer);
  }
}
