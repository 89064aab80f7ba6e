/**
 * A reading service's live copy of reference data: a snapshot from the owner, then its change log
 * by long-poll, published as immutable {@link dev.firemesh.chassis.refdata.ReferenceView}s, with
 * the version, lag and health a service reports. Talks to the owner only over HTTP (through the
 * sidecar), never to its database.
 */
package dev.firemesh.chassis.refdata.replica;
