package dev.firemesh.xds.translate;

import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.envoyproxy.envoy.type.v3.FractionalPercent.DenominatorType;

/** Percentages as Envoy wants them: parts per million, so 0.01 % is still exact. */
final class Percentages {
  private static final int MILLION = 1_000_000;

  private Percentages() {}

  static FractionalPercent of(double percent) {
    long perMillion = Math.round(percent * (MILLION / 100.0));
    return FractionalPercent.newBuilder()
        .setNumerator(Math.clamp(perMillion, 0, MILLION))
        .setDenominator(DenominatorType.MILLION)
        .build();
  }
}
