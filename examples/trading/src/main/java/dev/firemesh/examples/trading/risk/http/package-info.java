/**
 * Risk on the chassis, HTTP/1.1 with JSON: {@code POST /checks} ({@code account, isin, quantity,
 * price, currency} -> {@code approved} and {@code reason} or figures), {@code GET /limits}; limits
 * from its replica of the accounts, shaped by its live configuration.
 */
package dev.firemesh.examples.trading.risk.http;
