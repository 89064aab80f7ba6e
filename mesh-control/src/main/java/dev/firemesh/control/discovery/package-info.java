/**
 * Keeps discovery current: {@link dev.firemesh.control.discovery.MeshPublisher} recomputes the xDS
 * snapshot when the store changes (coalescing bursts), and {@link
 * dev.firemesh.control.discovery.LeaseSweeper} removes instances whose lease lapsed.
 */
package dev.firemesh.control.discovery;
