/**
 * The control plane's own telemetry, with nothing external needed (issue 8): an OTLP/HTTP trace
 * receiver ({@link dev.firemesh.control.telemetry.OtlpDecoder}) feeding a trace store bounded by
 * memory ({@link dev.firemesh.control.telemetry.TraceStore}); a collector of the sidecars' golden
 * metrics ({@link dev.firemesh.control.telemetry.TrafficCollector}) that keeps five minutes of
 * increases ({@link dev.firemesh.control.telemetry.TrafficHistory}) for the live service graph and
 * writes 10-second edge rollups to PostgreSQL for part 2's analyses; and their admin API ({@link
 * dev.firemesh.control.telemetry.TelemetryApi}).
 *
 * <p>It reads the metric names and labels of the contract in docs/architecture.md
 * ("Observability"), nothing of how the sidecar makes them; it owns no socket of its own (the admin
 * server carries its routes; {@code control.scrape} reads the sidecars).
 */
package dev.firemesh.control.telemetry;
