/**
 * The reference-data service on the chassis: it owns venues, instruments and accounts (the chassis
 * serves its command and feed endpoints under {@code /firemesh/refdata/v1}) and serves {@code GET
 * /venues[/MIC]}, {@code GET /instruments[/ISIN]}, {@code GET /accounts[/ID]} from its view for the
 * services that hold no replica.
 */
package dev.firemesh.examples.trading.referencedata.http;
