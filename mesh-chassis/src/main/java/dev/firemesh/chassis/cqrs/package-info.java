/**
 * Commands and event-sourced aggregates: an {@link dev.firemesh.chassis.cqrs.Aggregate} decides
 * events from its state, the {@link dev.firemesh.chassis.cqrs.CommandProcessor} appends them with
 * optimistic concurrency and answers a repeated command id with its first outcome, and {@link
 * dev.firemesh.chassis.cqrs.Commands} sends commands to the service that owns an aggregate, over
 * the mesh. It builds on the event store and knows nothing of subscribers.
 */
package dev.firemesh.chassis.cqrs;
