/**
 * Risk on HTTP/1.1 with JSON: {@code POST /checks} ({@code account, isin, quantity, price,
 * currency} -> {@code approved} and {@code reason} or figures), {@code GET /limits}, {@code GET
 * /health}.
 */
package dev.firemesh.examples.trading.risk.http;
