/**
 * Reference data: venues, instruments and trade accounts as validated domain records; the owner's
 * side (commands, a change log of events in PostgreSQL, the feed it serves) and every other
 * service's live, read-only, in-memory replica (a snapshot, then every change in order, with its
 * version and its lag behind the owner).
 *
 * <p>This package holds what both sides share: {@link dev.firemesh.chassis.refdata.ReferenceSet},
 * the immutable {@link dev.firemesh.chassis.refdata.ReferenceView} and what listeners are told; the
 * owner is in {@code refdata.owner}, the replica in {@code refdata.replica}.
 */
package dev.firemesh.chassis.refdata;
