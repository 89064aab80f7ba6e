/**
 * The traffic generator's wiring: orders sent at a steady rate to {@code http://orders/orders}
 * through its sidecar, a gRPC subscription to market-data's quote stream through the same sidecar
 * (h2c, authority {@code market-data}), and a small HTTP/JSON page of what it saw ({@code GET
 * /stats}, {@code GET /quotes}, {@code GET /health}).
 */
package dev.firemesh.examples.trading.generator.transport;
