package dev.firemesh.chassis.refdata.domain;

import dev.firemesh.chassis.refdata.standard.CountryCode;
import dev.firemesh.chassis.refdata.standard.Mic;
import java.time.Instant;
import java.time.ZoneId;

/**
 * A trading venue (ISO 10383): the MIC of the market or segment, the operating MIC of the entity
 * that runs it (the same for an operating MIC: {@code XLON}/{@code XLON}; the parent for a segment:
 * {@code XETR}/{@code XFRA}), its country and time zone, and its regular trading hours in that
 * zone.
 */
public record Venue(
    Mic mic,
    Mic operatingMic,
    String name,
    CountryCode country,
    ZoneId timeZone,
    TradingHours hours,
    VenueStatus status) {
  public Venue {
    Fields.present(mic, "mic");
    Fields.present(operatingMic, "operatingMic");
    Fields.text(name, "name");
    Fields.present(country, "country");
    Fields.present(timeZone, "timeZone");
    Fields.present(hours, "hours");
    Fields.present(status, "status");
  }

  /** Whether the venue is active and in its regular session at {@code instant}. */
  public boolean isOpenAt(Instant instant) {
    return status == VenueStatus.ACTIVE && hours.isOpen(instant.atZone(timeZone));
  }
}
