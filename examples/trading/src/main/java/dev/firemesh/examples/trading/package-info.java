/**
 * The sample trading platform the demo runs: small but real services, each a process of its own
 * beside its own sidecar, calling each other by logical name through it.
 *
 * <p>Every service is split the same way: a {@code domain} package with the business logic (plain
 * records and classes, no I/O, no JSON, no threads of its own) and a thin transport package that
 * puts it on the wire. The transport packages share {@link dev.firemesh.examples.trading.plumbing};
 * when the chassis arrives, the transport and plumbing packages are what it replaces, the domain
 * packages move as they are.
 *
 * <ul>
 *   <li>{@code referencedata}: venues (ISO 10383 MICs), instruments (ISO 6166 ISINs, ISO 10962 CFI
 *       codes), trade accounts; HTTP/JSON
 *   <li>{@code marketdata}: a simulated live quote stream; gRPC server streaming
 *   <li>{@code orders}: accepts orders after checking reference data and risk; HTTP/JSON
 *   <li>{@code risk}: pre-trade limit checks; HTTP/JSON
 *   <li>{@code generator}: a steady, realistic order flow and a quote subscription
 * </ul>
 */
package dev.firemesh.examples.trading;
