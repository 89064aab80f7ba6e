package dev.firemesh.traffic.locality;

import java.util.Objects;

/**
 * Where a caller or an endpoint runs: a region and a zone within it ({@code ""}: not said). Zone
 * names are only meaningful within their region: zone {@code a} of {@code eu-west} and zone {@code
 * a} of {@code us-east} are different places.
 */
public record Locality(String region, String zone) {
  public static final Locality UNKNOWN = new Locality("", "");

  public Locality {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(zone, "zone");
  }

  /** Whether the region is known; a zone without a region places nothing. */
  public boolean isKnown() {
    return !region.isEmpty();
  }
}
