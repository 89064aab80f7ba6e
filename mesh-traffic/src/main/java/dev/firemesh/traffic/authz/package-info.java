/**
 * Authorization at the callee: which callers may make which calls to a service, decided by the
 * service's own sidecar (and, through the same classes, the chassis's direct channel).
 *
 * <p>{@link dev.firemesh.traffic.authz.AuthorizationRules} is the immutable, compiled form of a
 * service's AuthorizationPolicies; {@link dev.firemesh.traffic.authz.AuthorizationRules#decide}
 * takes an {@link dev.firemesh.traffic.authz.AccessRequest} (the verified caller, method,
 * normalised path, headers, port) and returns a {@link dev.firemesh.traffic.authz.Decision}. {@link
 * dev.firemesh.traffic.authz.Authorizer} holds the rules in force and counts decisions. {@link
 * dev.firemesh.traffic.authz.RequestPaths} gives a request path the one normal form rules are
 * matched against, and that the application then receives. No regular expressions, no locks, and an
 * allowed request without dry-run findings allocates nothing here. Nothing here knows HTTP status
 * codes, TLS or Netty.
 */
package dev.firemesh.traffic.authz;
