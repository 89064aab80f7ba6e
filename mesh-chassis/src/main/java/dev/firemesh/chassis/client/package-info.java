/**
 * Calls from a chassis service to others, by logical name, through its sidecar, carrying the trace
 * of the request being served.
 */
package dev.firemesh.chassis.client;
