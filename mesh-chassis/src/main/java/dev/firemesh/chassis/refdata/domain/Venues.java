package dev.firemesh.chassis.refdata.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.chassis.refdata.ReferenceSet;
import dev.firemesh.chassis.refdata.standard.CountryCode;
import dev.firemesh.chassis.refdata.standard.Mic;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Venues keyed by MIC, indexed by country. */
final class Venues implements ReferenceSet<Venue> {
  @Override
  public String name() {
    return "venues";
  }

  @Override
  public String keyOf(Venue value) {
    return value.mic().code();
  }

  @Override
  public JsonNode toJson(Venue venue) {
    ObjectNode json = ReferenceSets.NODES.objectNode();
    json.put("mic", venue.mic().code());
    json.put("operatingMic", venue.operatingMic().code());
    json.put("name", venue.name());
    json.put("country", venue.country().code());
    json.put("timeZone", venue.timeZone().getId());
    ObjectNode hours = json.putObject("hours");
    hours.put("open", venue.hours().open().toString());
    hours.put("close", venue.hours().close().toString());
    ArrayNode days = hours.putArray("days");
    for (DayOfWeek day : DayOfWeek.values()) {
      if (venue.hours().days().contains(day)) {
        days.add(day.name());
      }
    }
    json.put("status", venue.status().name());
    return json;
  }

  @Override
  public Venue fromJson(JsonNode json) {
    JsonFields fields = JsonFields.of(json);
    JsonFields hours = fields.object("hours");
    LocalTime open = hours.time("open");
    LocalTime close = hours.time("close");
    Set<DayOfWeek> days = hours.days("days");
    TradingHours tradingHours = hours.build(() -> new TradingHours(open, close, days));
    return fields.build(
        () ->
            new Venue(
                fields.code("mic", Mic::parse),
                fields.code("operatingMic", Mic::parse),
                fields.text("name"),
                fields.code("country", CountryCode::parse),
                fields.zone("timeZone"),
                tradingHours,
                fields.option("status", VenueStatus.class)));
  }

  @Override
  public Map<String, Function<Venue, String>> indexes() {
    return Map.of("country", venue -> venue.country().code());
  }

  @Override
  public String toString() {
    return name();
  }
}
