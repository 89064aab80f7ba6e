package dev.firemesh.examples.trading.referencedata.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.chassis.http.HttpResponse;
import dev.firemesh.chassis.http.HttpRoutes;
import dev.firemesh.chassis.refdata.ReferenceSet;
import dev.firemesh.chassis.refdata.ReferenceView;
import dev.firemesh.chassis.refdata.domain.Instrument;
import dev.firemesh.chassis.refdata.domain.ReferenceSets;
import dev.firemesh.chassis.refdata.domain.TradeAccount;
import dev.firemesh.chassis.refdata.domain.Venue;
import dev.firemesh.chassis.refdata.standard.InvalidCodeException;
import dev.firemesh.chassis.refdata.standard.Isin;
import dev.firemesh.chassis.refdata.standard.Mic;
import dev.firemesh.examples.trading.plumbing.Json;
import dev.firemesh.examples.trading.referencedata.domain.PreviousClose;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The lookups market data and the traffic generator read (they are not on the chassis, so they hold
 * no replica): {@code GET /venues[/MIC]}, {@code /instruments[/ISIN]}, {@code /accounts[/ID]}, from
 * the owner's view of the moment. The chassis services read their own replicas instead.
 */
final class ReferenceDataRoutes {
  private final Supplier<ReferenceView> view;

  ReferenceDataRoutes(Supplier<ReferenceView> view) {
    this.view = view;
  }

  HttpRoutes routes() {
    return HttpRoutes.builder()
        .get("/venues", r -> all(ReferenceSets.VENUES, ReferenceDataRoutes::json))
        .get(
            "/venues/{mic}",
            r ->
                one(
                    ReferenceSets.VENUES,
                    r.pathParam("mic"),
                    "venue with MIC",
                    ReferenceDataRoutes::json))
        .get("/instruments", r -> all(ReferenceSets.INSTRUMENTS, ReferenceDataRoutes::json))
        .get(
            "/instruments/{isin}",
            r ->
                one(
                    ReferenceSets.INSTRUMENTS,
                    r.pathParam("isin"),
                    "instrument with ISIN",
                    ReferenceDataRoutes::json))
        .get("/accounts", r -> all(ReferenceSets.ACCOUNTS, ReferenceDataRoutes::json))
        .get(
            "/accounts/{id}",
            r ->
                one(
                    ReferenceSets.ACCOUNTS,
                    r.pathParam("id"),
                    "account",
                    ReferenceDataRoutes::json))
        .build();
  }

  private <V> HttpResponse all(ReferenceSet<V> set, Function<V, ObjectNode> json) {
    ArrayNode all = Json.MAPPER.createArrayNode();
    view.get().of(set).all().forEach(record -> all.add(json.apply(record)));
    return HttpResponse.json(200, all.toString());
  }

  private <V> HttpResponse one(
      ReferenceSet<V> set, String key, String what, Function<V, ObjectNode> json) {
    try {
      // A malformed code is the caller's mistake (400, saying what is wrong), not a miss (404).
      switch (set.name()) {
        case "venues" -> Mic.parse(key);
        case "instruments" -> Isin.parse(key);
        default -> {}
      }
    } catch (InvalidCodeException e) {
      return HttpResponse.error(400, e.getMessage());
    }
    return view.get()
        .of(set)
        .get(key)
        .map(record -> HttpResponse.json(200, json.apply(record).toString()))
        .orElseGet(() -> HttpResponse.error(404, "no " + what + " " + key));
  }

  static ObjectNode json(Venue venue) {
    return Json.object()
        .put("mic", venue.mic().code())
        .put("name", venue.name())
        .put("country", venue.country().code())
        .put("timeZone", venue.timeZone().getId())
        .put("status", venue.status().name());
  }

  static ObjectNode json(Instrument instrument) {
    ObjectNode node =
        Json.object()
            .put("isin", instrument.isin().value())
            .put("cfi", instrument.cfi().code())
            .put("category", instrument.cfi().category())
            .put("name", instrument.name())
            .put("mic", instrument.listingVenue().code())
            .put("currency", instrument.currency().code())
            .put("lotSize", instrument.lotSize())
            .put("status", instrument.status().name());
    node.put("tickSize", instrument.tickSize().toPlainString());
    node.put("previousClose", PreviousClose.of(instrument).toPlainString());
    return node;
  }

  static ObjectNode json(TradeAccount account) {
    return Json.object()
        .put("id", account.accountId())
        .put("name", account.owner())
        .put("baseCurrency", account.baseCurrency().code())
        .put("status", account.status().name());
  }
}
