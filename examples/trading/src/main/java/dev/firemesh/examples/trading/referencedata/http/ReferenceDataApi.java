package dev.firemesh.examples.trading.referencedata.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.chassis.refdata.standard.InvalidCodeException;
import dev.firemesh.chassis.refdata.standard.Isin;
import dev.firemesh.chassis.refdata.standard.Mic;
import dev.firemesh.examples.trading.plumbing.Json;
import dev.firemesh.examples.trading.plumbing.JsonServer;
import dev.firemesh.examples.trading.plumbing.JsonServer.Reply;
import dev.firemesh.examples.trading.plumbing.JsonServer.Request;
import dev.firemesh.examples.trading.referencedata.domain.Account;
import dev.firemesh.examples.trading.referencedata.domain.Instrument;
import dev.firemesh.examples.trading.referencedata.domain.ReferenceData;
import dev.firemesh.examples.trading.referencedata.domain.Venue;
import java.util.Optional;

/** The routes of the reference-data service, and its JSON shapes. */
public final class ReferenceDataApi {
  private final ReferenceData data;

  public ReferenceDataApi(ReferenceData data) {
    this.data = data;
  }

  public JsonServer routes(JsonServer server) {
    return server
        .get("/health", r -> Reply.ok(Json.object().put("status", "UP")))
        .get("/venues", this::venues)
        .get("/instruments", this::instruments)
        .get("/accounts", this::accounts);
  }

  private Reply venues(Request request) {
    if (request.rest().isEmpty()) {
      ArrayNode all = Json.MAPPER.createArrayNode();
      data.venues().forEach(v -> all.add(json(v)));
      return Reply.ok(all);
    }
    Optional<Venue> venue;
    try {
      venue = data.venue(Mic.parse(request.rest()));
    } catch (InvalidCodeException e) {
      return Reply.error(400, e.getMessage());
    }
    return venue
        .map(v -> Reply.ok(json(v)))
        .orElseGet(() -> Reply.error(404, "no venue with MIC " + request.rest()));
  }

  private Reply instruments(Request request) {
    if (request.rest().isEmpty()) {
      ArrayNode all = Json.MAPPER.createArrayNode();
      data.instruments().forEach(i -> all.add(json(i)));
      return Reply.ok(all);
    }
    Isin isin;
    try {
      isin = Isin.parse(request.rest());
    } catch (InvalidCodeException e) {
      return Reply.error(400, e.getMessage());
    }
    return data.instrument(isin)
        .map(i -> Reply.ok(json(i)))
        .orElseGet(() -> Reply.error(404, "no instrument with ISIN " + request.rest()));
  }

  private Reply accounts(Request request) {
    if (request.rest().isEmpty()) {
      ArrayNode all = Json.MAPPER.createArrayNode();
      data.accounts().forEach(a -> all.add(json(a)));
      return Reply.ok(all);
    }
    return data.account(request.rest())
        .map(a -> Reply.ok(json(a)))
        .orElseGet(() -> Reply.error(404, "no account " + request.rest()));
  }

  static ObjectNode json(Venue venue) {
    return Json.object()
        .put("mic", venue.mic().code())
        .put("name", venue.name())
        .put("country", venue.country());
  }

  static ObjectNode json(Instrument instrument) {
    ObjectNode node =
        Json.object()
            .put("isin", instrument.isin().value())
            .put("cfi", instrument.cfi().code())
            .put("category", instrument.cfi().category())
            .put("name", instrument.name())
            .put("mic", instrument.venue().code())
            .put("currency", instrument.currency().getCurrencyCode());
    node.put("tickSize", instrument.tickSize());
    node.put("previousClose", instrument.previousClose());
    return node;
  }

  static ObjectNode json(Account account) {
    return Json.object()
        .put("id", account.id())
        .put("name", account.name())
        .put("status", account.status().name());
  }
}
