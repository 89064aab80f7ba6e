/**
 * The FireMesh resource model: immutable records for every kind an operator writes ({@code
 * Service}, {@code Route}, {@code TrafficPolicy}, {@code AuthorizationPolicy}, {@code Config},
 * {@code RateLimit}, {@code Canary}, {@code MutualTls}).
 *
 * <p>These types know nothing of YAML, storage or xDS; the codec in {@code dev.firemesh.api.codec}
 * reads and writes them, and the translation to xDS lives in {@code mesh-xds}.
 */
package dev.firemesh.api.resource;
