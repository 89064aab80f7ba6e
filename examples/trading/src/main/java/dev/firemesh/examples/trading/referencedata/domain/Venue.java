package dev.firemesh.examples.trading.referencedata.domain;

import dev.firemesh.chassis.refdata.standard.Mic;
import java.util.Objects;

/**
 * A trading venue.
 *
 * @param mic its ISO 10383 market identifier code
 * @param name what traders call it
 * @param country ISO 3166 alpha-2 code of where it operates
 */
public record Venue(Mic mic, String name, String country) {
  public Venue {
    Objects.requireNonNull(mic, "mic");
    Objects.requireNonNull(name, "name");
    if (country == null || !country.matches("[A-Z]{2}")) {
      throw new IllegalArgumentException(
          "country: expected an ISO 3166 alpha-2 code, got " + country);
    }
  }
}
