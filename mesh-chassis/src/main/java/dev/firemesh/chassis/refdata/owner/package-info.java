/**
 * The owning service's side of reference data: commands validated through each set and written as
 * versions of a change log in the chassis's PostgreSQL (one stream for all the owned sets, a
 * version per command), the current state in memory, and the endpoints replicas follow. Knows
 * nothing of any particular set: venues, instruments and accounts reach it as {@link
 * dev.firemesh.chassis.refdata.ReferenceSet}s.
 */
package dev.firemesh.chassis.refdata.owner;
