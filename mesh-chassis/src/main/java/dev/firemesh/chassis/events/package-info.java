/**
 * The event store on the service's own PostgreSQL: streams of events appended with optimistic
 * concurrency ({@link dev.firemesh.chassis.events.EventStore}), numbered in one global, gap-free
 * order after commit by the {@link dev.firemesh.chassis.events.Sequencer}, with versioned event
 * schemas and upcasting ({@link dev.firemesh.chassis.events.EventTypes}) and snapshots. It knows
 * nothing of aggregates, commands or subscribers, which build on it. {@link
 * dev.firemesh.chassis.events.StoredEvents} reads events as stored, for tools without the event
 * types.
 */
package dev.firemesh.chassis.events;
