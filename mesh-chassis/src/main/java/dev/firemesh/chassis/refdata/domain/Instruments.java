package dev.firemesh.chassis.refdata.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.chassis.refdata.ReferenceSet;
import dev.firemesh.chassis.refdata.standard.Cfi;
import dev.firemesh.chassis.refdata.standard.CurrencyCode;
import dev.firemesh.chassis.refdata.standard.Isin;
import dev.firemesh.chassis.refdata.standard.Mic;
import java.util.Map;
import java.util.function.Function;

/** Instruments keyed by ISIN, indexed by listing venue and by currency. */
final class Instruments implements ReferenceSet<Instrument> {
  @Override
  public String name() {
    return "instruments";
  }

  @Override
  public String keyOf(Instrument value) {
    return value.isin().value();
  }

  @Override
  public JsonNode toJson(Instrument instrument) {
    ObjectNode json = ReferenceSets.NODES.objectNode();
    json.put("isin", instrument.isin().value());
    json.put("name", instrument.name());
    json.put("cfi", instrument.cfi().code());
    json.put("currency", instrument.currency().code());
    json.put("tickSize", instrument.tickSize());
    json.put("lotSize", instrument.lotSize());
    json.put("listingVenue", instrument.listingVenue().code());
    json.put("status", instrument.status().name());
    return json;
  }

  @Override
  public Instrument fromJson(JsonNode json) {
    JsonFields fields = JsonFields.of(json);
    return fields.build(
        () ->
            new Instrument(
                fields.code("isin", Isin::parse),
                fields.text("name"),
                fields.code("cfi", Cfi::parse),
                fields.code("currency", CurrencyCode::parse),
                fields.decimal("tickSize"),
                fields.whole("lotSize"),
                fields.code("listingVenue", Mic::parse),
                fields.option("status", InstrumentStatus.class)));
  }

  @Override
  public Map<String, Function<Instrument, String>> indexes() {
    return Map.of(
        "venue", instrument -> instrument.listingVenue().code(),
        "currency", instrument -> instrument.currency().code());
  }

  @Override
  public String toString() {
    return name();
  }
}
