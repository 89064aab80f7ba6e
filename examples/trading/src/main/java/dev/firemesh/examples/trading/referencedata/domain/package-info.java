/**
 * Reference data, as a trading desk uses it: venues, the instruments listed on them and the trade
 * accounts orders are booked to. Pure data and lookups; no I/O.
 */
package dev.firemesh.examples.trading.referencedata.domain;
