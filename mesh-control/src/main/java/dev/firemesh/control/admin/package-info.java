/**
 * The admin API: JSON over HTTP on loopback, bearer-token authenticated. {@link
 * dev.firemesh.control.admin.AdminServer} owns the HTTP side (routing, authentication, body limits,
 * the error shape, and turning declared refusals into 4xx answers); {@link
 * dev.firemesh.control.admin.AdminApi} owns the endpoints and which exceptions are refusals.
 *
 * <p>{@link dev.firemesh.control.admin.AdminJson} is the wire format for both ends, the CLI
 * included: decimals travel exactly as written.
 */
package dev.firemesh.control.admin;
