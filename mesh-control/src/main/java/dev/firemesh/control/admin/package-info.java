/**
 * The admin API: JSON over HTTPS, every call authenticated to a principal and every route naming
 * the role it needs. {@link dev.firemesh.control.admin.AdminServer} owns the HTTP side (TLS,
 * authentication, access, routing, body limits, the error shape, and turning declared refusals into
 * 4xx answers); {@link dev.firemesh.control.admin.AdminTls} the server certificate from the mesh
 * CA, renewed in place, and trust in client certificates; {@link
 * dev.firemesh.control.admin.AdminApi}, {@link dev.firemesh.control.admin.OperatorApi}, {@code
 * CaApi} and {@code CanaryApi} own the endpoints, who may call each, and which exceptions are
 * refusals.
 *
 * <p>{@link dev.firemesh.control.admin.AdminJson} is the wire format for both ends, the CLI
 * included: decimals travel exactly as written.
 */
package dev.firemesh.control.admin;
