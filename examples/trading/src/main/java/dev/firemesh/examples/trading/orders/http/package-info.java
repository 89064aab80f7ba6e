/**
 * Orders on HTTP/1.1 with JSON: {@code POST /orders} (201 accepted, 422 rejected with reason and
 * detail, 503 when reference data or risk cannot be asked), {@code GET /orders/{id}}, {@code GET
 * /orders/stats}, {@code GET /health}; and the clients that reach reference-data and risk by name
 * through this instance's sidecar.
 */
package dev.firemesh.examples.trading.orders.http;
