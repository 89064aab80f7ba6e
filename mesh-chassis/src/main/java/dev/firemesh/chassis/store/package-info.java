/**
 * The chassis's PostgreSQL: embedded under the service's data directory by default, external by
 * URL, with the chassis's own schema and migrations (apart from the control plane's).
 */
package dev.firemesh.chassis.store;
