/**
 * Subscriptions to the event store: {@link dev.firemesh.chassis.events.subscription.Projection}s
 * that keep read models in the store's own database, effectively exactly once (the checkpoint moves
 * in the handler's transaction), and {@link
 * dev.firemesh.chassis.events.subscription.ProcessManager}s that act on events at least once. A
 * subscription's events are split into partitions by stream; instances of a service share the
 * partitions through fenced leases ({@link
 * dev.firemesh.chassis.events.subscription.Subscriptions}). Events a handler keeps failing on are
 * parked as dead letters. Operators rebuild and retry through the store ({@link
 * dev.firemesh.chassis.events.subscription.OperatorRequests}), without the service's code.
 *
 * <p>Owns the {@code es_subscription_*}, {@code es_dead_letters} and {@code chassis_requests}
 * tables; reads {@code es_events} and {@code es_head}, which the event store writes. Knows nothing
 * of the mesh or of commands.
 */
package dev.firemesh.chassis.events.subscription;
