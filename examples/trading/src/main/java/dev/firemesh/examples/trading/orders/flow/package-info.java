/**
 * What happens to an order after it is booked, as process managers over orders' event store: the
 * simulated venue fills accepted orders ({@code venue-fills}) and every order event risk reads is
 * forwarded to risk as a command ({@code risk-feed}). Both act at least once and make their effect
 * idempotent with command ids derived from the events.
 */
package dev.firemesh.examples.trading.orders.flow;
