/**
 * Risk on the chassis, HTTP/1.1 with JSON: {@code POST /checks} ({@code account, isin, quantity,
 * price, currency} -> {@code approved} and {@code reason} or figures), {@code GET /limits}, {@code
 * GET /exposure} and {@code GET /exposure/{account}} (the {@code risk_exposure} read model); limits
 * from its replica of the accounts, shaped by its live configuration; the {@code exposure}
 * aggregate's commands at the chassis's command route.
 */
package dev.firemesh.examples.trading.risk.http;
