/**
 * Order intake: an order is accepted only if it is well formed, within the desk's policy, for a
 * known instrument on an allowed venue at a price on its tick, for an open account, and within the
 * account's risk limits; otherwise it is rejected with the reason. Reference data and risk are
 * reached through the {@link dev.firemesh.examples.trading.orders.domain.InstrumentDirectory} and
 * {@link dev.firemesh.examples.trading.orders.domain.RiskGate} ports, which the transport
 * implements.
 */
package dev.firemesh.examples.trading.orders.domain;
