/**
 * The sidecar's admin listener (plain HTTP on loopback): {@code /ready}, {@code /config_dump},
 * {@code /stats} and {@code /stats/prometheus} (Prometheus text format 0.0.4). It reads the
 * sidecar's state; it never changes it and is never on a request's path.
 */
package dev.firemesh.proxy.admin;
