package dev.firemesh.bench.harness;

/**
 * FireMesh against a peer at one load: how the latency each adds over the direct path compares, and
 * how their throughput at saturation compares. A ratio below 1 means FireMesh does better on
 * latency (it adds less); above 1 on throughput means it serves more.
 *
 * @param fireMesh the FireMesh scenario ({@code firemesh-mtls})
 * @param peer the peer scenario ({@code haproxy}, {@code nginx-mtls}, ...)
 * @param load a fixed rate such as {@code 1000/s}, or {@code saturation}
 * @param addedP50Ratio FireMesh's added p50 over the peer's (fixed rates; NaN at saturation)
 * @param addedP99Ratio FireMesh's added p99 over the peer's (fixed rates)
 * @param throughputRatio FireMesh's achieved rate over the peer's (saturation; NaN at fixed rates,
 *     where both served the rate)
 */
public record Comparison(
    String fireMesh,
    String peer,
    String load,
    double addedP50Ratio,
    double addedP99Ratio,
    double throughputRatio) {}
