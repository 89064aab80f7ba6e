/**
 * Orders on the chassis, HTTP/1.1 with JSON: {@code POST /orders} (201 accepted, 422 rejected with
 * reason and detail, 503 when risk cannot be asked; a retry with the same {@code clientOrderId} is
 * answered with the order the first one booked), {@code GET /orders/{id}} (the order folded from
 * its event stream), {@code GET /orders/{id}/events} (its history with each event's metadata),
 * {@code GET /orders/stats}; instruments and accounts from its reference data replica (local
 * lookups), risk by name through the chassis's mesh client, the desk's rules from its live
 * configuration, orders in its event store.
 */
package dev.firemesh.examples.trading.orders.http;
