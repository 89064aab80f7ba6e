/**
 * Risk's exposure on its PostgreSQL: the {@code exposure} projection of its own events into the
 * {@code risk_exposure} read model, the queries that serve it, and the {@code end-of-day} task that
 * ends each trading day once across risk's instances. The arithmetic is {@code risk.domain}'s.
 */
package dev.firemesh.examples.trading.risk.exposure;
