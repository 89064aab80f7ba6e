/**
 * Reference data as this desk's owner serves it: the seed it starts from (one idempotent command of
 * the chassis's {@code ReferenceSeed}) and the previous close each instrument's day of quotes
 * starts from. The records themselves (venues, instruments, trade accounts) and their validation
 * are the chassis's ({@code dev.firemesh.chassis.refdata.domain}). Pure data; no I/O.
 */
package dev.firemesh.examples.trading.referencedata.domain;
