/**
 * Reference data on HTTP/1.1 with JSON: {@code GET /venues[/MIC]}, {@code GET /instruments[/ISIN]},
 * {@code GET /accounts[/ID]}, {@code GET /health}.
 */
package dev.firemesh.examples.trading.referencedata.http;
