/**
 * Endpoint health, the sidecar's part: {@link dev.firemesh.proxy.health.HealthChecker} runs each
 * cluster's active health check (HTTP, TCP or gRPC) against every endpoint and reports the results
 * to the router; {@link dev.firemesh.proxy.health.HealthEvaluation} runs outlier detection's
 * evaluation. Both on one event loop of the sidecar, never blocking it; what the results mean for
 * balancing is decided in {@code mesh-traffic}, so the chassis will behave the same.
 *
 * <p>Endpoints are peer sidecars' inbound listeners, so a check goes to the peer's sidecar, which
 * forwards it to its application like any call (its {@code Host} or {@code :authority} names the
 * service). A TCP check therefore proves only that the peer's sidecar accepts connections.
 */
package dev.firemesh.proxy.health;
