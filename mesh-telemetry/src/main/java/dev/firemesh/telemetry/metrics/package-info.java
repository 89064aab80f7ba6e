/**
 * The golden metrics of the mesh's edges, one implementation for the sidecar and the chassis so
 * both are named and bucketed alike and the control plane reads them the same way
 * (docs/reference/metrics.md).
 */
package dev.firemesh.telemetry.metrics;
