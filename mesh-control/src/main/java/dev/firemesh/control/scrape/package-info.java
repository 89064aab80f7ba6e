/**
 * Reading the sidecars' own metrics, with nothing in between: {@link
 * dev.firemesh.control.scrape.SidecarScraper} asks every connected sidecar's admin listener for its
 * Prometheus exposition and {@link dev.firemesh.control.scrape.ExpositionText} reads it, bounded
 * and never throwing, since any process that connected may have written it.
 *
 * <p>It knows no metric family: the canary controller and the telemetry collector each say which
 * names they read and what the samples mean.
 */
package dev.firemesh.control.scrape;
