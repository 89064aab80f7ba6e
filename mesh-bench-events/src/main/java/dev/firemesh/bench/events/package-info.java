/**
 * {@code firemesh bench events}: the chassis's event store, commands and subscriptions under
 * constant-rate open-loop load, in process, on an embedded PostgreSQL in a scratch folder or an
 * external one. Latency runs from each operation's scheduled start (no coordinated omission) into
 * HdrHistogram; every scheduled operation is accounted for.
 *
 * <p>{@link dev.firemesh.bench.events.EventsBench} runs an {@link
 * dev.firemesh.bench.events.EventsPlan}: appends with the right expected version, commands through
 * {@code CommandProcessor} (fresh ids, then the same ids again), and, during the appends, the time
 * from each append's commit to a projection applying its event. It uses the chassis only through
 * its public API ({@code EventStore}, {@code CommandProcessor}, {@code Subscriptions}), as a
 * service would; it knows nothing of the mesh, the proxies or the control plane.
 */
package dev.firemesh.bench.events;
