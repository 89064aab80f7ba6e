/**
 * Reference data: venues, instruments and trade accounts as validated domain records; the owner's
 * side (commands, a change log of events in PostgreSQL, the feed it serves) and every other
 * service's live, read-only, in-memory replica (a snapshot, then every change in order, with its
 * version and its lag behind the owner).
 */
package dev.firemesh.chassis.refdata;
