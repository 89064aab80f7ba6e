/**
 * Orders: intake and the order's life. The {@link
 * dev.firemesh.examples.trading.orders.domain.OrderDesk} books an order only if it is well formed,
 * within the desk's policy and for a known instrument, and gives it its verdict: accepted if it is
 * on an allowed venue at a price on its tick, for an open account, and within the account's risk
 * limits; otherwise rejected with the reason. The verdict travels in a {@link
 * dev.firemesh.examples.trading.orders.domain.OrderCommand.PlaceOrder} to the event-sourced {@link
 * dev.firemesh.examples.trading.orders.domain.OrderAggregate}, which then takes the venue's fills
 * (simulated by {@link dev.firemesh.examples.trading.orders.domain.VenueSimulator}) and cancels.
 * Reference data and risk are reached through the {@link
 * dev.firemesh.examples.trading.orders.domain.InstrumentDirectory} and {@link
 * dev.firemesh.examples.trading.orders.domain.RiskGate} ports, which the transport implements.
 */
package dev.firemesh.examples.trading.orders.domain;
