/**
 * The sidecar's admin listener (plain HTTP on loopback): {@code /ready}, {@code /config_dump} and
 * {@code /stats}. It reads the sidecar's state; it never changes it and is never on a request's
 * path.
 */
package dev.firemesh.proxy.admin;
