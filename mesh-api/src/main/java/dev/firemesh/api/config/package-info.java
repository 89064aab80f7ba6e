/**
 * The schema of a service's configuration: what the chassis publishes about its config record and
 * what {@code firemesh apply} checks a {@code Config}'s values against. The model and its JSON form
 * live here, with the check; the chassis derives a schema from a record, the control plane stores
 * and enforces it.
 */
package dev.firemesh.api.config;
