/**
 * Commands and event-sourced aggregates: an {@link dev.firemesh.chassis.cqrs.Aggregate} decides
 * events from its state, the chassis appends them with optimistic concurrency and answers a
 * repeated command id with its first outcome.
 */
package dev.firemesh.chassis.cqrs;
