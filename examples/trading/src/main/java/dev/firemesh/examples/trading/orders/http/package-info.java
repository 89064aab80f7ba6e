/**
 * Orders on the chassis, HTTP/1.1 with JSON: {@code POST /orders} (201 accepted, 422 rejected with
 * reason and detail, 503 when risk cannot be asked), {@code GET /orders/{id}}, {@code GET
 * /orders/stats}; instruments and accounts from its reference data replica (local lookups), risk by
 * name through the chassis's mesh client, the desk's rules from its live configuration.
 */
package dev.firemesh.examples.trading.orders.http;
