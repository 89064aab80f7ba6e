/**
 * The digital twin dashboard: the pages, scripts and one style sheet under {@code
 * dev/firemesh/dashboard/} (plain JavaScript modules, no build step), the chart libraries from
 * WebJars (ECharts for the service map, uPlot for time series), and {@link
 * dev.firemesh.dashboard.DashboardAssets}, which resolves a path under {@code /ui/} to a file and
 * nothing else. The pages read the control plane's JSON API ({@code /v1/telemetry/*}, {@code
 * /v1/revisions}, {@code /v1/instances}) and never another origin.
 *
 * <p>This module knows nothing of HTTP servers, sessions or the control plane's classes: the
 * control plane serves these files and decides who may see them.
 */
package dev.firemesh.dashboard;
