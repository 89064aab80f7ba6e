/**
 * The sample trading platform the demo runs: small but real services, each a process of its own
 * beside its own sidecar, calling each other by logical name through it.
 *
 * <p>Every service is split the same way: a {@code domain} package with the business logic (plain
 * records and classes, no I/O, no JSON, no threads of its own) and a thin transport package that
 * puts it on the wire. reference data, orders and risk are built on the FireMesh chassis ({@code
 * mesh-chassis}): their transport package is a {@code main} of a few dozen lines and the routes;
 * market data and the generator still share {@link dev.firemesh.examples.trading.plumbing}.
 *
 * <ul>
 *   <li>{@code referencedata}: the owner of venues (ISO 10383 MICs), instruments (ISO 6166 ISINs,
 *       ISO 10962 CFI codes) and trade accounts, seeded from the chassis's {@code ReferenceSeed};
 *       chassis, HTTP/JSON
 *   <li>{@code marketdata}: a simulated live quote stream; gRPC server streaming
 *   <li>{@code orders}: accepts orders after checking its reference data replica, its live
 *       configuration and risk; chassis, HTTP/JSON
 *   <li>{@code risk}: pre-trade limit checks on limits from its replica of the accounts and its
 *       live configuration; chassis, HTTP/JSON
 *   <li>{@code generator}: a steady, realistic order flow and a quote subscription
 * </ul>
 */
package dev.firemesh.examples.trading;
